package io.weir.stream.api.windowing;

import java.time.Duration;

/**
 * Fires a window early, every {@code interval} of event time (aligned to multiples of the
 * interval after the epoch), and at its end like {@link EventTimeTrigger}. Firings the watermark
 * skipped over in one jump happen once, not once per interval. Supports merging windows.
 *
 * @param <W> the windows it decides for
 */
public final class ContinuousEventTimeTrigger<W extends Window> implements Trigger<Object, W> {
  private static final String NEXT = "next-fire";
  private final long interval;

  private ContinuousEventTimeTrigger(long interval) {
    this.interval = interval;
  }

  /**
   * A trigger firing every {@code interval} of event time.
   *
   * @param interval positive, whole milliseconds
   * @param <W> the windows it decides for
   * @return a new trigger
   * @throws IllegalArgumentException when the interval is under one millisecond
   */
  public static <W extends Window> ContinuousEventTimeTrigger<W> of(Duration interval) {
    return new ContinuousEventTimeTrigger<>(Intervals.millis(interval, "interval"));
  }

  /** Fires at once for a window the watermark passed; otherwise schedules the next firing. */
  @Override
  public TriggerResult onElement(Object element, long timestamp, W window, TriggerContext ctx) {
    if (window.maxTimestamp() <= ctx.currentWatermark()) {
      return TriggerResult.FIRE;
    }
    ctx.registerEventTimeTimer(window.maxTimestamp());
    if (ctx.getWindowState(NEXT, Long.class) == null) {
      schedule(Intervals.nextAfter(timestamp, 0, interval), window, ctx);
    }
    return TriggerResult.CONTINUE;
  }

  /** Fires at the window's end and at each scheduled firing, then schedules the next one. */
  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) {
    TriggerResult result = time == window.maxTimestamp()
        ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    Long next = ctx.getWindowState(NEXT, Long.class);
    if (next != null && next == time) {
      ctx.putWindowState(NEXT, null);
      schedule(Intervals.nextAfter(Math.max(time, ctx.currentWatermark()), time, interval),
          window, ctx);
      result = TriggerResult.FIRE;
    }
    return result;
  }

  private void schedule(long next, W window, TriggerContext ctx) {
    if (next < window.maxTimestamp()) {
      ctx.putWindowState(NEXT, next);
      ctx.registerEventTimeTimer(next);
    }
  }

  /** Never fires on processing time. */
  @Override
  public TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  /** True. */
  @Override
  public boolean canMerge() {
    return true;
  }

  /** Keeps the earliest scheduled firing of the merged windows. */
  @Override
  public void onMerge(W window, OnMergeContext ctx) {
    if (window.maxTimestamp() > ctx.currentWatermark()) {
      ctx.registerEventTimeTimer(window.maxTimestamp());
    }
    Long earliest = ctx.getWindowState(NEXT, Long.class);
    for (Long next : ctx.getMergedWindowStates(NEXT, Long.class)) {
      earliest = earliest == null ? next : Math.min(earliest, next);
    }
    if (earliest != null) {
      ctx.putWindowState(NEXT, null);
      schedule(earliest, window, ctx);
    }
  }

  /** Deletes the scheduled firing and the end-of-window timer. */
  @Override
  public void clear(W window, TriggerContext ctx) {
    Long next = ctx.getWindowState(NEXT, Long.class);
    if (next != null) {
      ctx.deleteEventTimeTimer(next);
    }
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }

  @Override
  public String toString() {
    return "ContinuousEventTimeTrigger(" + interval + "ms)";
  }
}
