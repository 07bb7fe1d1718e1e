package io.weir.stream.api.state;

/**
 * One value per key.
 *
 * @param <T> the value type
 */
public interface ValueState<T> extends State {
  /** The current key's value; null when there is none (or it expired). */
  T value();

  /**
   * Replaces the current key's value.
   *
   * @param value the new value; null clears it
   */
  void update(T value);
}
