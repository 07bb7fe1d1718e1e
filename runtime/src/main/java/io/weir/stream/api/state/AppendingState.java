package io.weir.stream.api.state;

/**
 * State that values are added to and a result is read from.
 *
 * @param <I> the type of the values added
 * @param <O> the type of the result
 */
public interface AppendingState<I, O> extends State {
  /** The current key's result; null when nothing was added (or all expired). */
  O get();

  /**
   * Adds a value for the current key.
   *
   * @param value never null
   */
  void add(I value);
}
