package io.weir.stream.api.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Windows of a fixed size that do not overlap, in processing time: each element falls into exactly one,
 * {@code [start, start + size)} with starts at {@code offset} plus multiples of the size after
 * the epoch. Fires with {@link ProcessingTimeTrigger} unless another trigger is set.
 */
public final class TumblingProcessingTimeWindows implements WindowAssigner<Object, TimeWindow> {
  private final long size;
  private final long offset;

  private TumblingProcessingTimeWindows(long size, long offset) {
    this.size = size;
    this.offset = offset;
  }

  /**
   * Windows of {@code size} aligned to the epoch (an hour's windows start on the hour, in UTC).
   *
   * @param size at least one millisecond
   * @return a new assigner
   * @throws IllegalArgumentException when the size is under one millisecond
   */
  public static TumblingProcessingTimeWindows of(Duration size) {
    return of(size, Duration.ZERO);
  }

  /**
   * Windows of {@code size} whose starts are shifted by {@code offset} (a day's windows in
   * UTC+2 have an offset of -2 hours).
   *
   * @param size at least one millisecond
   * @param offset any duration, never null; only its remainder modulo the size matters
   * @return a new assigner
   * @throws IllegalArgumentException when the size is under one millisecond
   */
  public static TumblingProcessingTimeWindows of(Duration size, Duration offset) {
    long s = Intervals.millis(size, "size");
    return new TumblingProcessingTimeWindows(s, Math.floorMod(offset.toMillis(), s));
  }

  /** The one window containing the element's time. */
  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, Context context) {
    long time = context.currentProcessingTime();
    long start = TimeWindow.startOf(time, offset, size);
    return List.of(new TimeWindow(start, start + size));
  }

  /** {@link ProcessingTimeTrigger}. */
  @Override
  public Trigger<Object, TimeWindow> defaultTrigger() {
    return ProcessingTimeTrigger.create();
  }

  /** {@code false}. */
  @Override
  public boolean isEventTime() {
    return false;
  }

  @Override
  public String toString() {
    return "TumblingProcessingTimeWindows(" + size + "ms" + (offset == 0 ? "" : ", offset " + offset + "ms") + ")";
  }
}
