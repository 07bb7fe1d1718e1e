package io.weir.stream.api;

/**
 * Receives both streams' elements of one key and window at once.
 *
 * @param <L> the first (left) stream's elements
 * @param <R> the second (right) stream's elements
 * @param <O> the result type
 */
@FunctionalInterface
public interface CoGroupFunction<L, R, O> {
  /**
   * Emits the results of one key and window.
   *
   * @param left the first stream's elements in arrival order, never null, may be empty
   * @param right the second stream's elements in arrival order, never null, may be empty (not
   *     both)
   * @param out the main output; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void coGroup(Iterable<L> left, Iterable<R> right, Collector<O> out) throws Exception;
}
