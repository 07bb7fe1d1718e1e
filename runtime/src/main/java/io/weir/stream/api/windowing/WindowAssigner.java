package io.weir.stream.api.windowing;

import java.util.Collection;

/**
 * Puts each element into zero or more windows, and names the trigger used when none is set.
 * Implementations are immutable and stateless; they are called by one thread per subtask.
 *
 * @param <T> the elements it assigns
 * @param <W> the windows it makes
 */
public interface WindowAssigner<T, W extends Window> {
  /**
   * The windows an element belongs to.
   *
   * @param element never null
   * @param timestamp the element's event time for an event-time assigner (never absent: an
   *     element without one fails the job); unspecified for a processing-time assigner, which
   *     reads {@link Context#currentProcessingTime()}
   * @param context the clock, never null
   * @return the windows, never null; must not be changed by the caller
   */
  Collection<W> assignWindows(T element, long timestamp, Context context);

  /** The trigger of a windowed stream that sets none, never null. */
  Trigger<? super T, W> defaultTrigger();

  /**
   * Whether windows are in event time: then late elements are recognised and state is cleaned
   * up when the watermark passes a window's end plus the allowed lateness. Otherwise windows are
   * in processing time and are cleaned up when the wall clock passes their end.
   */
  boolean isEventTime();

  /** What an assigner may read while it assigns. */
  interface Context {
    /** The wall clock in epoch milliseconds. */
    long currentProcessingTime();
  }
}
