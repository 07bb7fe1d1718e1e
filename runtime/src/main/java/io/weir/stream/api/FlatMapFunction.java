package io.weir.stream.api;

/**
 * Maps each element to zero or more elements. Called by one thread per subtask.
 *
 * @param <T> the input type
 * @param <R> the output type
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> {
  /**
   * Emits the results for one element.
   *
   * @param value never null
   * @param out receives the results; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void flatMap(T value, Collector<R> out) throws Exception;
}
