package io.weir.log.api;

/** Where a group member starts a partition for which its group has no committed offset. */
public enum OffsetReset {
  /** The log start offset: the oldest retained record. */
  EARLIEST,
  /** The log end offset: only records appended later. */
  LATEST
}
