package io.weir.stream.api;

/**
 * A stream partitioned by key: the operator applied next sees all elements of a key on one
 * subtask, has keyed state and timers, and is reached through a hash exchange (never chained to
 * the operator before it).
 *
 * @param <T> the element type
 * @param <K> the key type
 */
public interface KeyedStream<T, K> {
  /**
   * Applies a keyed process function: per-key state, timers and side outputs.
   *
   * @param function never null
   * @param <R> the output type
   * @return the function's main output
   */
  <R> DataStream<R> process(KeyedProcessFunction<K, T, R> function);

  /**
   * A rolling reduce per key: emits the new reduced value after every element.
   *
   * @param reducer never null, associative
   * @return the stream of reduced values
   */
  DataStream<T> reduce(ReduceFunction<T> reducer);

  /** The key selector this stream was keyed by; may be null only when planning will reject it. */
  KeySelector<T, K> keySelector();
}
