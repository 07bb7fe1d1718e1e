package io.weir.stream.api.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Session windows in event time: each element opens the window {@code [time, time + gap)}, and windows
 * of a key that overlap or touch merge, so a session ends after a gap with no element. Fires
 * with {@link EventTimeTrigger} unless another trigger (one that can merge) is set.
 */
public final class EventTimeSessionWindows implements MergingWindowAssigner<Object, TimeWindow> {
  private final long gap;

  private EventTimeSessionWindows(long gap) {
    this.gap = gap;
  }

  /**
   * Sessions that end after {@code gap} without an element.
   *
   * @param gap at least one millisecond
   * @return a new assigner
   * @throws IllegalArgumentException when the gap is under one millisecond
   */
  public static EventTimeSessionWindows withGap(Duration gap) {
    return new EventTimeSessionWindows(Intervals.millis(gap, "gap"));
  }

  /** The element's own window, {@code [time, time + gap)}. */
  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, Context context) {
    long time = timestamp;
    return List.of(new TimeWindow(time, Intervals.saturatedAdd(time, gap)));
  }

  /** Merges windows that overlap or touch. */
  @Override
  public void mergeWindows(Collection<TimeWindow> windows, MergeCallback<TimeWindow> callback) {
    TimeWindow.mergeWindows(windows, callback);
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
    return "EventTimeSessionWindows(gap " + gap + "ms)";
  }
}
