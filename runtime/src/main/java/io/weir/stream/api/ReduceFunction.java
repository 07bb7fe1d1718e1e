package io.weir.stream.api;

/**
 * Combines two values of a type into one; must be associative.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface ReduceFunction<T> {
  /**
   * Combines two values.
   *
   * @param accumulated the value so far, never null
   * @param value the new value, never null
   * @return the combined value, never null; may be one of the arguments
   * @throws Exception any failure, which fails the job
   */
  T reduce(T accumulated, T value) throws Exception;
}
