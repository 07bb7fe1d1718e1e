package io.weir.stream.api.windowing;

import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.ReduceFunction;
import java.time.Duration;

/**
 * A keyed stream cut into windows by a {@link WindowAssigner}, waiting for a window function.
 * Immutable: {@link #trigger}, {@link #allowedLateness} and {@link #sideOutputLateData} return a
 * new windowed stream. The window function adds one keyed operator whose state is, per key and
 * window, the elements (for {@link #process}) or one pre-aggregated value (for
 * {@link #reduce} and {@link #aggregate}).
 *
 * <p>Lateness (event-time windows only): an element is late for a window when the window's
 * {@code maxTimestamp() + allowedLateness} is at or before the watermark. An element that is
 * late for every window it belongs to goes to the late-data side output if one is set, and is
 * otherwise dropped, counted and reported in a warning in the log. Elements after a window's
 * end but within the allowed lateness are added and fire the window again (with the default
 * trigger). A window's state is removed when the watermark passes its
 * {@code maxTimestamp() + allowedLateness} (processing-time windows: when the clock passes
 * their end). An element without a timestamp reaching an event-time window fails the job.
 *
 * @param <T> the element type
 * @param <K> the key type
 * @param <W> the window type
 */
public interface WindowedStream<T, K, W extends Window> {
  /**
   * Replaces the assigner's default trigger.
   *
   * @param trigger never null; must be able to merge for a merging assigner
   * @return a new windowed stream
   */
  WindowedStream<T, K, W> trigger(Trigger<? super T, ? super W> trigger);

  /**
   * How long after a window's end elements are still added to it (event-time windows only;
   * zero by default).
   *
   * @param lateness zero or more, whole milliseconds
   * @return a new windowed stream
   * @throws IllegalArgumentException when negative
   */
  WindowedStream<T, K, W> allowedLateness(Duration lateness);

  /**
   * Sends elements that arrive too late for all their windows to a side output, read with
   * {@code getSideOutput(tag)} on the stream a window function returns.
   *
   * @param tag never null
   * @return a new windowed stream
   */
  WindowedStream<T, K, W> sideOutputLateData(OutputTag<T> tag);

  /**
   * Reduces each window incrementally and emits the reduced value when it fires.
   *
   * @param reducer never null
   * @return the results
   */
  DataStream<T> reduce(ReduceFunction<T> reducer);

  /**
   * Reduces each window incrementally, then hands the reduced value to {@code function} when it
   * fires.
   *
   * @param reducer never null
   * @param function receives one element, the reduced value; never null
   * @param <R> the result type
   * @return the results
   */
  <R> DataStream<R> reduce(ReduceFunction<T> reducer, ProcessWindowFunction<T, R, K, W> function);

  /**
   * Aggregates each window incrementally and emits the aggregate's result when it fires.
   *
   * @param aggregate never null; its {@code merge} is used by merging windows
   * @param <A> the accumulator type
   * @param <R> the result type
   * @return the results
   */
  <A, R> DataStream<R> aggregate(AggregateFunction<T, A, R> aggregate);

  /**
   * Aggregates each window incrementally, then hands the aggregate's result to
   * {@code function} when it fires.
   *
   * @param aggregate never null
   * @param function receives one element, the aggregate's result; never null
   * @param <A> the accumulator type
   * @param <V> the aggregate's result type
   * @param <R> the result type
   * @return the results
   */
  <A, V, R> DataStream<R> aggregate(AggregateFunction<T, A, V> aggregate,
      ProcessWindowFunction<V, R, K, W> function);

  /**
   * Keeps every element of each window and hands them all to {@code function} when it fires.
   *
   * @param function never null
   * @param <R> the result type
   * @return the results
   */
  <R> DataStream<R> process(ProcessWindowFunction<T, R, K, W> function);
}
