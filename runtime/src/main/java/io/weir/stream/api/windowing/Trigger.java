package io.weir.stream.api.windowing;

import java.util.List;

/**
 * Decides when a window fires and when its contents are purged. A trigger is called with the
 * window's key current, on the subtask's thread, for elements added to the window and for every
 * timer of the window. Timers registered through the context belong to the window: the trigger
 * is called again when they fire, and for the window's cleanup timer too, so
 * {@link #onEventTime} and {@link #onProcessingTime} must check the time they are given.
 *
 * <p>A trigger keeps whatever it must remember per key and window in the context's window
 * state, never in its own fields (one trigger object serves every key and window). The window
 * state and timers of a window are removed when the window is cleaned up.
 *
 * @param <T> the elements it sees
 * @param <W> the windows it decides for
 */
public interface Trigger<T, W extends Window> {
  /**
   * An element was added to the window.
   *
   * @param element never null
   * @param timestamp the element's event time, or the processing time for a processing-time
   *     window
   * @param window never null
   * @param ctx valid only during this call
   * @return never null
   * @throws Exception any failure, which fails the job
   */
  TriggerResult onElement(T element, long timestamp, W window, TriggerContext ctx)
      throws Exception;

  /**
   * An event-time timer of the window fired.
   *
   * @param time the timer's time
   * @param window never null
   * @param ctx valid only during this call
   * @return never null
   * @throws Exception any failure, which fails the job
   */
  TriggerResult onEventTime(long time, W window, TriggerContext ctx) throws Exception;

  /**
   * A processing-time timer of the window fired.
   *
   * @param time the timer's time
   * @param window never null
   * @param ctx valid only during this call
   * @return never null
   * @throws Exception any failure, which fails the job
   */
  TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) throws Exception;

  /** Whether the trigger supports merging windows; false unless overridden. */
  default boolean canMerge() {
    return false;
  }

  /**
   * Windows merged into {@code window}: combine the merged windows' state into it and register
   * its timers. The merged windows are cleared afterwards.
   *
   * @param window the merge result, never null
   * @param ctx valid only during this call
   * @throws Exception any failure, which fails the job
   */
  default void onMerge(W window, OnMergeContext ctx) throws Exception {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " does not support merging windows");
  }

  /**
   * The window is cleaned up (or merged into another): delete its timers. Its window state is
   * removed by the operator afterwards.
   *
   * @param window never null
   * @param ctx valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void clear(W window, TriggerContext ctx) throws Exception;

  /** What a trigger may do, for the current key and window. */
  interface TriggerContext {
    /** The wall clock in epoch milliseconds. */
    long currentProcessingTime();

    /** The operator's watermark; {@code Long.MIN_VALUE} before the first. */
    long currentWatermark();

    /** Registers an event-time timer of the window; one the watermark passed fires soon after. */
    void registerEventTimeTimer(long time);

    /** Registers a processing-time timer of the window. */
    void registerProcessingTimeTimer(long time);

    /** Deletes an event-time timer of the window; nothing if there is none. */
    void deleteEventTimeTimer(long time);

    /** Deletes a processing-time timer of the window; nothing if there is none. */
    void deleteProcessingTimeTimer(long time);

    /**
     * A value the trigger stored for the current key and window.
     *
     * @param name the value's name, never null
     * @param type its class, never null
     * @param <V> its type
     * @return the value; null when none was stored
     */
    <V> V getWindowState(String name, Class<V> type);

    /**
     * Stores a value for the current key and window. Values are kept by reference: do not
     * change one after storing it.
     *
     * @param name the value's name, never null
     * @param value the value; null removes it
     */
    void putWindowState(String name, Object value);
  }

  /** The context of {@link #onMerge}: the current window is the merge result. */
  interface OnMergeContext extends TriggerContext {
    /**
     * The values stored under {@code name} by the windows merged into the current one (not the
     * current window's own), in no particular order.
     *
     * @param name the value's name, never null
     * @param type its class, never null
     * @param <V> its type
     * @return the values present, never null
     */
    <V> List<V> getMergedWindowStates(String name, Class<V> type);
  }
}
