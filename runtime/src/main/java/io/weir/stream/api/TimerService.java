package io.weir.stream.api;

/**
 * Time and timers of a keyed operator. A timer belongs to the current key; it fires once per
 * (key, timestamp), calling {@code onTimer} with that key current. Timers are part of the
 * operator's checkpointed state. Use from the subtask's thread only.
 */
public interface TimerService {
  /** The node's wall-clock time in epoch milliseconds. */
  long currentProcessingTime();

  /** The operator's current event-time watermark; {@code Long.MIN_VALUE} before the first. */
  long currentWatermark();

  /**
   * Fires when the watermark passes {@code time}; at once if it already has.
   *
   * @param time event time in epoch milliseconds
   */
  void registerEventTimeTimer(long time);

  /**
   * Fires when the wall clock reaches {@code time}.
   *
   * @param time epoch milliseconds
   */
  void registerProcessingTimeTimer(long time);

  /**
   * Removes an event-time timer of the current key; nothing if there is none.
   *
   * @param time the timer's time
   */
  void deleteEventTimeTimer(long time);

  /**
   * Removes a processing-time timer of the current key; nothing if there is none.
   *
   * @param time the timer's time
   */
  void deleteProcessingTimeTimer(long time);
}
