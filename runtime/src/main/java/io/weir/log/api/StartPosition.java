package io.weir.log.api;

/** Where a consumer starts reading a partition. */
public sealed interface StartPosition {
  /** The log start offset: the oldest record still retained. */
  record Earliest() implements StartPosition {}

  /** The log end offset at the time the consumer starts: only records appended later. */
  record Latest() implements StartPosition {}

  /** An exact offset; reading below the log start offset fails with {@link OffsetOutOfRangeException}. */
  record AtOffset(long offset) implements StartPosition {
    /** Checks the offset is not negative. */
    public AtOffset {
      if (offset < 0) {
        throw new IllegalArgumentException("offset must be >= 0, was " + offset);
      }
    }
  }

  /** The first record whose timestamp is at or after {@code epochMillis}. */
  record AtTimestamp(long epochMillis) implements StartPosition {}

  /** Start at the oldest retained record. */
  static StartPosition earliest() {
    return new Earliest();
  }

  /** Start after the newest record. */
  static StartPosition latest() {
    return new Latest();
  }

  /** Start at an exact offset. */
  static StartPosition offset(long offset) {
    return new AtOffset(offset);
  }

  /** Start at the first record at or after a time. */
  static StartPosition timestamp(long epochMillis) {
    return new AtTimestamp(epochMillis);
  }
}
