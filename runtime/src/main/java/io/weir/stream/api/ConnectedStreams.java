package io.weir.stream.api;

/**
 * Two streams, possibly of different types, read by one operator that keeps shared state.
 *
 * @param <A> the first stream's type
 * @param <B> the second stream's type
 */
public interface ConnectedStreams<A, B> {
  /**
   * Applies a function with one method per input. The operator has two inputs, so it starts a
   * new vertex.
   *
   * @param function never null
   * @param <R> the output type
   * @return the function's main output
   */
  <R> DataStream<R> process(CoProcessFunction<A, B, R> function);
}
