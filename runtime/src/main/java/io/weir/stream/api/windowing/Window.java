package io.weir.stream.api.windowing;

/**
 * A bucket of elements of one key that a window function sees at once: a span of time
 * ({@link TimeWindow}) or everything ({@link GlobalWindow}). Implementations are immutable values
 * with {@code equals} and {@code hashCode}, because windows are keys of keyed state.
 */
public interface Window {
  /**
   * The largest timestamp that still belongs to this window. Results fired at the end of an
   * event-time window carry it, and it decides when the window is late.
   *
   * @return epoch milliseconds; {@code Long.MAX_VALUE} for a window that never ends
   */
  long maxTimestamp();
}
