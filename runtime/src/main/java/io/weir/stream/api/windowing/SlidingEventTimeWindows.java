package io.weir.stream.api.windowing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Windows of a fixed size starting every {@code slide}, in event time: with a slide smaller than the
 * size they overlap and each element falls into {@code size / slide} of them (rounded up); with
 * a larger slide some elements fall into none. Fires with {@link EventTimeTrigger} unless another trigger is
 * set.
 */
public final class SlidingEventTimeWindows implements WindowAssigner<Object, TimeWindow> {
  private final long size;
  private final long slide;
  private final long offset;

  private SlidingEventTimeWindows(long size, long slide, long offset) {
    this.size = size;
    this.slide = slide;
    this.offset = offset;
  }

  /**
   * Windows of {@code size} starting every {@code slide}, aligned to the epoch.
   *
   * @param size at least one millisecond
   * @param slide at least one millisecond
   * @return a new assigner
   * @throws IllegalArgumentException when a duration is under one millisecond
   */
  public static SlidingEventTimeWindows of(Duration size, Duration slide) {
    return of(size, slide, Duration.ZERO);
  }

  /**
   * Windows of {@code size} starting every {@code slide}, shifted by {@code offset}.
   *
   * @param size at least one millisecond
   * @param slide at least one millisecond
   * @param offset any duration, never null; only its remainder modulo the slide matters
   * @return a new assigner
   * @throws IllegalArgumentException when a duration is under one millisecond
   */
  public static SlidingEventTimeWindows of(Duration size, Duration slide, Duration offset) {
    long s = Intervals.millis(slide, "slide");
    return new SlidingEventTimeWindows(Intervals.millis(size, "size"), s, Math.floorMod(offset.toMillis(), s));
  }

  /** Every window containing the element's time, the latest first. */
  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, Context context) {
    long time = timestamp;
    List<TimeWindow> windows = new ArrayList<>((int) ((size + slide - 1) / slide));
    for (long start = TimeWindow.startOf(time, offset, slide); start > time - size;
        start -= slide) {
      windows.add(new TimeWindow(start, start + size));
    }
    return windows;
  }

  /** {@link EventTimeTrigger}. */
  @Override
  public Trigger<Object, TimeWindow> defaultTrigger() {
    return EventTimeTrigger.create();
  }

  /** {@code true}. */
  @Override
  public boolean isEventTime() {
    return true;
  }

  @Override
  public String toString() {
    return "SlidingEventTimeWindows(" + size + "ms, " + slide + "ms" + (offset == 0 ? "" : ", offset " + offset
        + "ms") + ")";
  }
}
