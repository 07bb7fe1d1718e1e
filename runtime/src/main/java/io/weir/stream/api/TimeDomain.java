package io.weir.stream.api;

/** The clock a timer was registered on. */
public enum TimeDomain {
  /** Fires on the watermark. */
  EVENT_TIME,
  /** Fires on the wall clock. */
  PROCESSING_TIME
}
