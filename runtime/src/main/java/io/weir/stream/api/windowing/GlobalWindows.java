package io.weir.stream.api.windowing;

import java.util.Collection;
import java.util.List;

/**
 * Puts every element of a key into the one {@link GlobalWindow}. Its default trigger never
 * fires: set one that does not wait for the window's end, such as {@link CountTrigger}. The
 * window's state is never cleaned up by time (purge it with a {@link PurgingTrigger}). Counts
 * as processing time: no element is ever late.
 */
public final class GlobalWindows implements WindowAssigner<Object, GlobalWindow> {
  private static final GlobalWindows INSTANCE = new GlobalWindows();

  private GlobalWindows() {}

  /** The global windows assigner; stateless, so shared. */
  public static GlobalWindows create() {
    return INSTANCE;
  }

  /** The global window. */
  @Override
  public Collection<GlobalWindow> assignWindows(Object element, long timestamp,
      Context context) {
    return List.of(GlobalWindow.get());
  }

  /** A trigger that never fires. */
  @Override
  public Trigger<Object, GlobalWindow> defaultTrigger() {
    return NeverTrigger.INSTANCE;
  }

  /** False: elements need no timestamp and are never late. */
  @Override
  public boolean isEventTime() {
    return false;
  }

  @Override
  public String toString() {
    return "GlobalWindows";
  }

  /** Never fires. */
  private static final class NeverTrigger implements Trigger<Object, GlobalWindow> {
    static final NeverTrigger INSTANCE = new NeverTrigger();

    @Override
    public TriggerResult onElement(Object element, long timestamp, GlobalWindow window,
        TriggerContext ctx) {
      return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, GlobalWindow window, TriggerContext ctx) {
      return TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, GlobalWindow window, TriggerContext ctx) {
      return TriggerResult.CONTINUE;
    }

    @Override
    public boolean canMerge() {
      return true;
    }

    @Override
    public void onMerge(GlobalWindow window, OnMergeContext ctx) {}

    @Override
    public void clear(GlobalWindow window, TriggerContext ctx) {}

    @Override
    public String toString() {
      return "NeverTrigger";
    }
  }
}
