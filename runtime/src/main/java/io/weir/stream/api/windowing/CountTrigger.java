package io.weir.stream.api.windowing;

/**
 * Fires a window each time it has received {@code count} more elements, whatever the time.
 * Supports merging windows (the counts add up).
 *
 * @param <W> the windows it decides for
 */
public final class CountTrigger<W extends Window> implements Trigger<Object, W> {
  private static final String COUNT = "count";
  private final long count;

  private CountTrigger(long count) {
    this.count = count;
  }

  /**
   * A trigger firing every {@code count} elements.
   *
   * @param count at least 1
   * @param <W> the windows it decides for
   * @return a new trigger
   * @throws IllegalArgumentException when {@code count} is below 1
   */
  public static <W extends Window> CountTrigger<W> of(long count) {
    if (count < 1) {
      throw new IllegalArgumentException("a count trigger needs a count of at least 1, was "
          + count);
    }
    return new CountTrigger<>(count);
  }

  /** Counts the element; fires and starts counting again when the count is reached. */
  @Override
  public TriggerResult onElement(Object element, long timestamp, W window, TriggerContext ctx) {
    Long seen = ctx.getWindowState(COUNT, Long.class);
    long now = (seen == null ? 0 : seen) + 1;
    if (now >= count) {
      ctx.putWindowState(COUNT, null);
      return TriggerResult.FIRE;
    }
    ctx.putWindowState(COUNT, now);
    return TriggerResult.CONTINUE;
  }

  /** Never fires on time. */
  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  /** Never fires on time. */
  @Override
  public TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  /** True. */
  @Override
  public boolean canMerge() {
    return true;
  }

  /** Adds the merged windows' counts to the result's. */
  @Override
  public void onMerge(W window, OnMergeContext ctx) {
    Long own = ctx.getWindowState(COUNT, Long.class);
    long sum = own == null ? 0 : own;
    for (Long c : ctx.getMergedWindowStates(COUNT, Long.class)) {
      sum += c;
    }
    ctx.putWindowState(COUNT, sum == 0 ? null : sum);
  }

  /** Nothing: the count is window state, removed with the window. */
  @Override
  public void clear(W window, TriggerContext ctx) {}

  @Override
  public String toString() {
    return "CountTrigger(" + count + ")";
  }
}
