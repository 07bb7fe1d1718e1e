package io.weir.stream.api.windowing;

/**
 * Fires a window when the wall clock reaches its end ({@link Window#maxTimestamp()}). The
 * default trigger of processing-time assigners. Supports merging windows.
 */
public final class ProcessingTimeTrigger implements Trigger<Object, Window> {
  private static final ProcessingTimeTrigger INSTANCE = new ProcessingTimeTrigger();

  private ProcessingTimeTrigger() {}

  /** The processing-time trigger; stateless, so shared. */
  @SuppressWarnings("unchecked")
  public static <W extends Window> Trigger<Object, W> create() {
    return (Trigger<Object, W>) (Trigger<Object, ?>) INSTANCE;
  }

  /** Registers a timer at the window's end. */
  @Override
  public TriggerResult onElement(Object element, long timestamp, Window window,
      TriggerContext ctx) {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }

  /** Never fires on event time. */
  @Override
  public TriggerResult onEventTime(long time, Window window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  /** Fires when the time is the window's end. */
  @Override
  public TriggerResult onProcessingTime(long time, Window window, TriggerContext ctx) {
    return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  /** True. */
  @Override
  public boolean canMerge() {
    return true;
  }

  /** Waits for the merged window's end. */
  @Override
  public void onMerge(Window window, OnMergeContext ctx) {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
  }

  /** Deletes the end-of-window timer. */
  @Override
  public void clear(Window window, TriggerContext ctx) {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }

  @Override
  public String toString() {
    return "ProcessingTimeTrigger";
  }
}
