package io.weir.stream.api;

/**
 * Decides which elements to keep. Called by one thread per subtask.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface FilterFunction<T> {
  /**
   * Tests one element.
   *
   * @param value never null
   * @return true to keep it
   * @throws Exception any failure, which fails the job
   */
  boolean filter(T value) throws Exception;
}
