package io.weir.stream.api.state;

/**
 * Keyed state: every method reads or writes the value of the current key (the key of the element
 * or timer being processed). Part of each checkpoint, stored per key group. Use from the
 * subtask's thread only.
 */
public interface State {
  /** Removes the current key's value. */
  void clear();
}
