package io.weir.stream.api.state;

import java.util.List;

/**
 * A list of values per key; {@link #get()} returns them in the order added.
 *
 * @param <T> the element type
 */
public interface ListState<T> extends AppendingState<T, Iterable<T>> {
  /**
   * Replaces the current key's list.
   *
   * @param values never null, none null; empty clears it
   */
  void update(List<T> values);

  /**
   * Appends values to the current key's list.
   *
   * @param values never null, none null
   */
  void addAll(List<T> values);
}
