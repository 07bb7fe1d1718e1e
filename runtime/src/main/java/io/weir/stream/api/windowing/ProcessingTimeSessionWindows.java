package io.weir.stream.api.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Session windows in processing time: each element opens the window {@code [time, time + gap)}, and windows
 * of a key that overlap or touch merge, so a session ends after a gap with no element. Fires
 * with {@link ProcessingTimeTrigger} unless another trigger (one that can merge) is set.
 */
public final class ProcessingTimeSessionWindows implements MergingWindowAssigner<Object, TimeWindow> {
  private final long gap;

  private ProcessingTimeSessionWindows(long gap) {
    this.gap = gap;
  }

  /**
   * Sessions that end after {@code gap} without an element.
   *
   * @param gap at least one millisecond
   * @return a new assigner
   * @throws IllegalArgumentException when the gap is under one millisecond
   */
  public static ProcessingTimeSessionWindows withGap(Duration gap) {
    return new ProcessingTimeSessionWindows(Intervals.millis(gap, "gap"));
  }

  /** The element's own window, {@code [time, time + gap)}. */
  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, Context context) {
    long time = context.currentProcessingTime();
    return List.of(new TimeWindow(time, Intervals.saturatedAdd(time, gap)));
  }

  /** Merges windows that overlap or touch. */
  @Override
  public void mergeWindows(Collection<TimeWindow> windows, MergeCallback<TimeWindow> callback) {
    TimeWindow.mergeWindows(windows, callback);
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
    return "ProcessingTimeSessionWindows(gap " + gap + "ms)";
  }
}
