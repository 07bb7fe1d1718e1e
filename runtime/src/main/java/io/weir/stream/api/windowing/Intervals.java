package io.weir.stream.api.windowing;

import java.time.Duration;
import java.util.Objects;

/** Checks durations and aligns times, for the assigners and triggers of this package. */
final class Intervals {
  private Intervals() {}

  /** A duration in whole milliseconds, at least one. */
  static long millis(Duration d, String what) {
    Objects.requireNonNull(d, what);
    long ms = d.toMillis();
    if (ms < 1) {
      throw new IllegalArgumentException("the " + what + " must be at least 1ms, was " + d);
    }
    return ms;
  }

  /**
   * The first time after {@code time} at {@code phase} plus a multiple of {@code interval};
   * {@code Long.MAX_VALUE} when that overflows.
   */
  static long nextAfter(long time, long phase, long interval) {
    long start = TimeWindow.startOf(time, phase, interval);
    long next = start + interval;
    return next < start ? Long.MAX_VALUE : next;
  }

  /** {@code a + b}, held at {@code Long.MAX_VALUE} or {@code Long.MIN_VALUE} on overflow. */
  static long saturatedAdd(long a, long b) {
    long r = a + b;
    if (((a ^ r) & (b ^ r)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return r;
  }
}
