package io.weir.stream.api;

/**
 * Combines a pair of joined elements into one result.
 *
 * @param <L> the first (left) stream's elements
 * @param <R> the second (right) stream's elements
 * @param <O> the result type
 */
@FunctionalInterface
public interface JoinFunction<L, R, O> {
  /**
   * Joins one pair.
   *
   * @param left never null
   * @param right never null
   * @return the result, never null
   * @throws Exception any failure, which fails the job
   */
  O join(L left, R right) throws Exception;
}
