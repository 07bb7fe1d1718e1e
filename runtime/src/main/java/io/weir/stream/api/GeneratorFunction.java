package io.weir.stream.api;

/**
 * Produces the element at an index, for {@link JobBuilder#generate}. Must be deterministic, so
 * that a source rewound to a checkpoint produces the same elements again.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface GeneratorFunction<T> {
  /**
   * Produces one element.
   *
   * @param index from 0
   * @return the element, never null
   * @throws Exception any failure, which fails the job
   */
  T map(long index) throws Exception;
}
