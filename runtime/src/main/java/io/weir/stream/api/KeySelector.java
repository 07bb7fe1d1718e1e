package io.weir.stream.api;

/**
 * Extracts the key of an element for a keyed exchange. Must be deterministic, and the key's
 * {@code hashCode} must be the same in every JVM (a String, a number, a record of such — never an
 * identity hash), because the key group is computed from it on whichever node reads the element.
 *
 * @param <T> the element type
 * @param <K> the key type
 */
@FunctionalInterface
public interface KeySelector<T, K> {
  /**
   * Extracts the key.
   *
   * @param value never null
   * @return the key, never null: null fails the job with {@link NullKeyException}
   * @throws Exception any failure, which fails the job
   */
  K getKey(T value) throws Exception;
}
