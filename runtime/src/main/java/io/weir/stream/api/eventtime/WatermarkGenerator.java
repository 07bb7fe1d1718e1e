package io.weir.stream.api.eventtime;

/**
 * Generates watermarks from the records of one source partition (or one stream subtask). Called
 * by one thread: {@link #onEvent} for every record, {@link #onPeriodicEmit} every
 * {@code weir.stream.auto-watermark-interval}.
 *
 * @param <T> the record type
 */
public interface WatermarkGenerator<T> {
  /**
   * Sees one record with its assigned timestamp; may emit a watermark at once (punctuated).
   *
   * @param event the record
   * @param timestamp its event time
   * @param output where to emit
   */
  void onEvent(T event, long timestamp, WatermarkOutput output);

  /**
   * Called periodically; emits the watermark reached so far (periodic generation).
   *
   * @param output where to emit
   */
  void onPeriodicEmit(WatermarkOutput output);
}
