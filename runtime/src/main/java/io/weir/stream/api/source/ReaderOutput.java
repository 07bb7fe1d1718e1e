package io.weir.stream.api.source;

/**
 * Where a reader emits elements, during {@code pollNext} only. Not thread-safe.
 *
 * @param <T> the element type
 */
public interface ReaderOutput<T> {
  /**
   * Emits an element without a timestamp.
   *
   * @param element never null
   */
  void collect(T element);

  /**
   * Emits an element with its event timestamp.
   *
   * @param element never null
   * @param timestamp epoch milliseconds
   */
  void collect(T element, long timestamp);
}
