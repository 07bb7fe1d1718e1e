package io.weir.stream.api;

/**
 * Receives the elements a function emits. Valid only during the call it was passed to; not
 * thread-safe.
 *
 * @param <T> the element type
 */
public interface Collector<T> {
  /**
   * Emits an element downstream.
   *
   * @param element never null
   */
  void collect(T element);
}
