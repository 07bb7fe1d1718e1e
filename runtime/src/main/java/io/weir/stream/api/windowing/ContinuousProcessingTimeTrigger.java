package io.weir.stream.api.windowing;

import java.time.Duration;

/**
 * Fires a window every {@code interval} of processing time (aligned to multiples of the interval
 * after the epoch) from its first element until it is cleaned up; for early results of
 * event-time or global windows. It does not fire at the window's end: elements that arrive
 * after the last firing of a processing-time window are not emitted. Supports merging windows.
 *
 * @param <W> the windows it decides for
 */
public final class ContinuousProcessingTimeTrigger<W extends Window>
    implements Trigger<Object, W> {
  private static final String NEXT = "next-fire";
  private final long interval;

  private ContinuousProcessingTimeTrigger(long interval) {
    this.interval = interval;
  }

  /**
   * A trigger firing every {@code interval} of processing time.
   *
   * @param interval positive, whole milliseconds
   * @param <W> the windows it decides for
   * @return a new trigger
   * @throws IllegalArgumentException when the interval is under one millisecond
   */
  public static <W extends Window> ContinuousProcessingTimeTrigger<W> of(Duration interval) {
    return new ContinuousProcessingTimeTrigger<>(Intervals.millis(interval, "interval"));
  }

  /** Schedules the first firing of the window. */
  @Override
  public TriggerResult onElement(Object element, long timestamp, W window, TriggerContext ctx) {
    if (ctx.getWindowState(NEXT, Long.class) == null) {
      schedule(Intervals.nextAfter(ctx.currentProcessingTime(), 0, interval), ctx);
    }
    return TriggerResult.CONTINUE;
  }

  /** Never fires on event time. */
  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  /** Fires at each scheduled firing and schedules the next. */
  @Override
  public TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) {
    Long next = ctx.getWindowState(NEXT, Long.class);
    if (next == null || next != time) {
      return TriggerResult.CONTINUE;
    }
    schedule(Intervals.nextAfter(Math.max(time, ctx.currentProcessingTime()), time, interval),
        ctx);
    return TriggerResult.FIRE;
  }

  private static void schedule(long next, TriggerContext ctx) {
    ctx.putWindowState(NEXT, next);
    ctx.registerProcessingTimeTimer(next);
  }

  /** True. */
  @Override
  public boolean canMerge() {
    return true;
  }

  /** Keeps the earliest scheduled firing of the merged windows. */
  @Override
  public void onMerge(W window, OnMergeContext ctx) {
    Long earliest = ctx.getWindowState(NEXT, Long.class);
    for (Long next : ctx.getMergedWindowStates(NEXT, Long.class)) {
      earliest = earliest == null ? next : Math.min(earliest, next);
    }
    if (earliest != null) {
      schedule(earliest, ctx);
    }
  }

  /** Deletes the scheduled firing. */
  @Override
  public void clear(W window, TriggerContext ctx) {
    Long next = ctx.getWindowState(NEXT, Long.class);
    if (next != null) {
      ctx.deleteProcessingTimeTimer(next);
    }
  }

  @Override
  public String toString() {
    return "ContinuousProcessingTimeTrigger(" + interval + "ms)";
  }
}
