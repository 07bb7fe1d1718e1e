package io.weir.stream.api;

/**
 * The end of a stream: a sink operator, with its settings. Not thread-safe, like the builder.
 *
 * @param <T> the type of the elements the sink consumes
 */
public interface DataStreamSink<T> {
  /**
   * Names the sink operator.
   *
   * @param name never null or blank
   * @return this sink
   */
  DataStreamSink<T> name(String name);

  /**
   * Sets the sink's parallelism: of its writers, when the sink has a global committer (which
   * runs at parallelism 1 whatever this says).
   *
   * @param parallelism from 1 to the max parallelism; checked when the job is planned
   * @return this sink
   */
  DataStreamSink<T> setParallelism(int parallelism);

  /** Keeps the sink out of the chain of the operator before it. */
  DataStreamSink<T> disableChaining();
}
