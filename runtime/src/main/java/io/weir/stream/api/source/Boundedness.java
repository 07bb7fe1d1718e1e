package io.weir.stream.api.source;

/** Whether a source ends. */
public enum Boundedness {
  /** The source ends once all its splits are read. */
  BOUNDED,
  /** The source runs until the job is cancelled. */
  CONTINUOUS_UNBOUNDED
}
