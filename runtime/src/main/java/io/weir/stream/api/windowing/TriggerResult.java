package io.weir.stream.api.windowing;

/** What a {@link Trigger} decides for a window. */
public enum TriggerResult {
  /** Nothing happens. */
  CONTINUE(false, false),
  /** The window function runs on the window's contents, which are kept. */
  FIRE(true, false),
  /** The window's contents are dropped without a result; its trigger state stays. */
  PURGE(false, true),
  /** The window function runs, then the contents are dropped. */
  FIRE_AND_PURGE(true, true);

  private final boolean fire;
  private final boolean purge;

  TriggerResult(boolean fire, boolean purge) {
    this.fire = fire;
    this.purge = purge;
  }

  /** Whether the window function runs. */
  public boolean isFire() {
    return fire;
  }

  /** Whether the contents are dropped. */
  public boolean isPurge() {
    return purge;
  }
}
