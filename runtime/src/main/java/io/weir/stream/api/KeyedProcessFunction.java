package io.weir.stream.api;

/**
 * A function on a keyed stream, with keyed state (through {@link RuntimeContext#getState} in
 * {@code open}), timers and side outputs. Every call has a current key: the element's, or the
 * timer's. Called by one thread per subtask.
 *
 * @param <K> the key type
 * @param <I> the input type
 * @param <O> the main output type
 */
@FunctionalInterface
public interface KeyedProcessFunction<K, I, O> extends RichFunction {
  /**
   * Processes one element, with its key current.
   *
   * @param value never null
   * @param ctx the element's context; valid only during this call
   * @param out the main output; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void processElement(I value, Context<K> ctx, Collector<O> out) throws Exception;

  /**
   * Called when a timer fires, with the timer's key current. Does nothing unless overridden.
   *
   * @param timestamp the time the timer was registered for
   * @param ctx the timer's context; valid only during this call
   * @param out the main output; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  default void onTimer(long timestamp, OnTimerContext<K> ctx, Collector<O> out) throws Exception {}

  /**
   * The context of one element.
   *
   * @param <K> the key type
   */
  interface Context<K> {
    /** The current key, never null. */
    K getCurrentKey();

    /** The element's (or fired timer's) timestamp in epoch milliseconds; null when none. */
    Long timestamp();

    /** Time and timers for the current key, never null. */
    TimerService timerService();

    /**
     * Emits to a side output.
     *
     * @param tag the side output, never null
     * @param value never null
     * @param <X> the side output's type
     */
    <X> void output(OutputTag<X> tag, X value);
  }

  /**
   * The context of a firing timer.
   *
   * @param <K> the key type
   */
  interface OnTimerContext<K> extends Context<K> {
    /** Which clock the timer was registered on, never null. */
    TimeDomain timeDomain();
  }
}
