package io.weir.stream.api.windowing;

import java.util.Objects;

/**
 * Wraps a trigger so that every time it fires, the window's contents are purged too: each
 * result covers only the elements since the previous one.
 *
 * @param <T> the elements it sees
 * @param <W> the windows it decides for
 */
public final class PurgingTrigger<T, W extends Window> implements Trigger<T, W> {
  private final Trigger<T, W> nested;

  private PurgingTrigger(Trigger<T, W> nested) {
    this.nested = nested;
  }

  /**
   * Purges whenever {@code nested} fires.
   *
   * @param nested never null
   * @param <T> the elements it sees
   * @param <W> the windows it decides for
   * @return a new trigger
   */
  public static <T, W extends Window> PurgingTrigger<T, W> of(Trigger<T, W> nested) {
    return new PurgingTrigger<>(Objects.requireNonNull(nested, "nested trigger"));
  }

  private static TriggerResult purging(TriggerResult r) {
    return r.isFire() ? TriggerResult.FIRE_AND_PURGE : r;
  }

  /** The nested trigger's result, purging when it fires. */
  @Override
  public TriggerResult onElement(T element, long timestamp, W window, TriggerContext ctx)
      throws Exception {
    return purging(nested.onElement(element, timestamp, window, ctx));
  }

  /** The nested trigger's result, purging when it fires. */
  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) throws Exception {
    return purging(nested.onEventTime(time, window, ctx));
  }

  /** The nested trigger's result, purging when it fires. */
  @Override
  public TriggerResult onProcessingTime(long time, W window, TriggerContext ctx)
      throws Exception {
    return purging(nested.onProcessingTime(time, window, ctx));
  }

  /** Whether the nested trigger can merge. */
  @Override
  public boolean canMerge() {
    return nested.canMerge();
  }

  /** Merges the nested trigger's state. */
  @Override
  public void onMerge(W window, OnMergeContext ctx) throws Exception {
    nested.onMerge(window, ctx);
  }

  /** Clears the nested trigger. */
  @Override
  public void clear(W window, TriggerContext ctx) throws Exception {
    nested.clear(window, ctx);
  }

  @Override
  public String toString() {
    return "PurgingTrigger(" + nested + ")";
  }
}
