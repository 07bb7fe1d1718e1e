package io.weir.stream.api.windowing;

/**
 * Fires a window once the watermark passes its end ({@link Window#maxTimestamp()}), and again
 * for each element that arrives after that but within the allowed lateness. The default trigger
 * of event-time assigners. Supports merging windows.
 */
public final class EventTimeTrigger implements Trigger<Object, Window> {
  private static final EventTimeTrigger INSTANCE = new EventTimeTrigger();

  private EventTimeTrigger() {}

  /** The event-time trigger; stateless, so shared. */
  @SuppressWarnings("unchecked")
  public static <W extends Window> Trigger<Object, W> create() {
    return (Trigger<Object, W>) (Trigger<Object, ?>) INSTANCE;
  }

  /** Fires at once for a window the watermark has passed; otherwise waits for its end. */
  @Override
  public TriggerResult onElement(Object element, long timestamp, Window window,
      TriggerContext ctx) {
    if (window.maxTimestamp() <= ctx.currentWatermark()) {
      return TriggerResult.FIRE;
    }
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }

  /** Fires when the time is the window's end. */
  @Override
  public TriggerResult onEventTime(long time, Window window, TriggerContext ctx) {
    return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  /** Never fires on processing time. */
  @Override
  public TriggerResult onProcessingTime(long time, Window window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  /** True. */
  @Override
  public boolean canMerge() {
    return true;
  }

  /** Waits for the merged window's end, unless the watermark has passed it. */
  @Override
  public void onMerge(Window window, OnMergeContext ctx) {
    if (window.maxTimestamp() > ctx.currentWatermark()) {
      ctx.registerEventTimeTimer(window.maxTimestamp());
    }
  }

  /** Deletes the end-of-window timer. */
  @Override
  public void clear(Window window, TriggerContext ctx) {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }

  @Override
  public String toString() {
    return "EventTimeTrigger";
  }
}
