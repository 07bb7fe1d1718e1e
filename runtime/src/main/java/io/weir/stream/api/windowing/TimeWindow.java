package io.weir.stream.api.windowing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A span of time {@code [start, end)} in epoch milliseconds: the start is included, the end is
 * not.
 *
 * @param start the first millisecond of the window
 * @param end the first millisecond after the window, more than {@code start}
 */
public record TimeWindow(long start, long end) implements Window {
  /** Checks that the window is not empty. */
  public TimeWindow {
    if (end <= start) {
      throw new IllegalArgumentException("a time window must end after it starts: [" + start
          + ", " + end + ")");
    }
  }

  /** {@code end - 1}: the last millisecond of the window. */
  @Override
  public long maxTimestamp() {
    return end - 1;
  }

  /**
   * Whether the two windows overlap or touch ({@code [0, 5)} and {@code [5, 10)} intersect, as
   * session windows that touch are merged).
   *
   * @param other never null
   * @return true when the windows overlap or are adjacent
   */
  public boolean intersects(TimeWindow other) {
    return start <= other.end && end >= other.start;
  }

  /**
   * The smallest window containing both.
   *
   * @param other never null
   * @return a new window from the earlier start to the later end
   */
  public TimeWindow cover(TimeWindow other) {
    return new TimeWindow(Math.min(start, other.start), Math.max(end, other.end));
  }

  /**
   * The start of the window of {@code size} milliseconds, aligned to {@code offset} after the
   * epoch, that contains {@code timestamp}. Negative timestamps are aligned too.
   *
   * @param timestamp epoch milliseconds
   * @param offset shifts the windows' starts, in milliseconds
   * @param size the windows' length in milliseconds, more than 0
   * @return the window's start, at most {@code timestamp}
   */
  public static long startOf(long timestamp, long offset, long size) {
    return timestamp - Math.floorMod(timestamp - offset, size);
  }

  /**
   * Merges windows that intersect, as session windows do: groups of two or more windows whose
   * spans chain into one are reported with the window covering them. Windows that merge with no
   * other are not reported.
   *
   * @param windows never null, none null
   * @param callback receives each group and its cover, never null
   */
  public static void mergeWindows(Collection<TimeWindow> windows,
      MergingWindowAssigner.MergeCallback<TimeWindow> callback) {
    List<TimeWindow> sorted = new ArrayList<>(windows);
    sorted.sort(Comparator.comparingLong(TimeWindow::start).thenComparingLong(TimeWindow::end));
    List<TimeWindow> group = new ArrayList<>();
    TimeWindow cover = null;
    for (TimeWindow w : sorted) {
      if (cover != null && cover.intersects(w)) {
        group.add(w);
        cover = cover.cover(w);
      } else {
        report(group, cover, callback);
        group = new ArrayList<>(List.of(w));
        cover = w;
      }
    }
    report(group, cover, callback);
  }

  private static void report(List<TimeWindow> group, TimeWindow cover,
      MergingWindowAssigner.MergeCallback<TimeWindow> callback) {
    if (group.size() > 1) {
      callback.merge(List.copyOf(group), cover);
    }
  }
}
