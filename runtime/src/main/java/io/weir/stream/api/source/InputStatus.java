package io.weir.stream.api.source;

/** What a reader's {@code pollNext} says about what comes next. */
public enum InputStatus {
  /** More is available now: call {@code pollNext} again. */
  MORE_AVAILABLE,
  /** Nothing now: wait for {@code isAvailable()} to complete. */
  NOTHING_AVAILABLE,
  /** The reader has read everything and will emit nothing more. */
  END_OF_INPUT
}
