package io.weir.stream.api;

/**
 * Maps each element to one element. Called by one thread per subtask; implement
 * {@link RichFunction} as well for {@code open} and {@code close}.
 *
 * @param <T> the input type
 * @param <R> the output type
 */
@FunctionalInterface
public interface MapFunction<T, R> {
  /**
   * Maps one element.
   *
   * @param value never null
   * @return the result, never null
   * @throws Exception any failure, which fails the job and restarts it from its last checkpoint
   */
  R map(T value) throws Exception;
}
