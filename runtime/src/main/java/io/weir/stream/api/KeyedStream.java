package io.weir.stream.api;

import io.weir.stream.api.windowing.Window;
import io.weir.stream.api.windowing.WindowAssigner;
import io.weir.stream.api.windowing.WindowedStream;

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

  /**
   * Cuts each key's elements into windows, for a window function (see {@link WindowedStream}).
   *
   * @param assigner never null
   * @param <W> the window type
   * @return the windowed stream
   */
  <W extends Window> WindowedStream<T, K, W> window(WindowAssigner<? super T, W> assigner);

  /**
   * Starts an interval join with another keyed stream of the same key type: each element of
   * this stream is paired with the other's elements of the same key whose timestamps are in an
   * interval around its own (see {@link IntervalJoin}).
   *
   * @param other never null, of the same job
   * @param <U> the other stream's type
   * @return the join's first step
   */
  <U> IntervalJoin<T, U, K> intervalJoin(KeyedStream<U, K> other);

  /** The key selector this stream was keyed by; may be null only when planning will reject it. */
  KeySelector<T, K> keySelector();
}
