package io.weir.stream.api.windowing;

import java.util.Collection;

/**
 * An assigner whose windows merge when they meet, such as session windows: the contents,
 * trigger state and timers of merged windows move to the window covering them.
 *
 * @param <T> the elements it assigns
 * @param <W> the windows it makes
 */
public interface MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W> {
  /**
   * Finds which of a key's windows merge.
   *
   * @param windows the key's current windows and the new element's, never null
   * @param callback called once per group of two or more windows that merge, never null
   */
  void mergeWindows(Collection<W> windows, MergeCallback<W> callback);

  /**
   * Receives one merge.
   *
   * @param <W> the window type
   */
  @FunctionalInterface
  interface MergeCallback<W> {
    /**
     * Windows merge into one.
     *
     * @param toBeMerged the windows merged, two or more, never null
     * @param mergeResult the window covering them, never null; may be one of them
     */
    void merge(Collection<W> toBeMerged, W mergeResult);
  }
}
