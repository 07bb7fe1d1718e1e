package io.weir.stream.api.windowing;

/**
 * The one window of {@link GlobalWindows}: every element of a key. It never ends, so it fires
 * only through a trigger that does not wait for time (such as {@link CountTrigger}), and its
 * state is never cleaned up by time.
 */
public record GlobalWindow() implements Window {
  private static final GlobalWindow INSTANCE = new GlobalWindow();

  /** The global window; all instances are equal. */
  public static GlobalWindow get() {
    return INSTANCE;
  }

  /** {@code Long.MAX_VALUE}: the global window never ends. */
  @Override
  public long maxTimestamp() {
    return Long.MAX_VALUE;
  }
}
