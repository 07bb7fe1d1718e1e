package io.weir.stream.api.eventtime;

/** Where a {@link WatermarkGenerator} emits. Not thread-safe: use from the calling thread. */
public interface WatermarkOutput {
  /**
   * Emits a watermark: no record with a timestamp at or below it is expected any more. A
   * watermark not above the last one emitted is ignored, so watermarks never go back.
   *
   * @param watermark epoch milliseconds
   */
  void emitWatermark(long watermark);

  /**
   * Marks this output idle: it holds no watermark back until it emits again. A partition
   * without records must not stop event time for the whole job.
   */
  void markIdle();

  /** Marks this output active again; emitting a watermark does too. */
  void markActive();
}
