package io.weir.stream.api;

import io.weir.api.WeirException;

/**
 * Thrown at run time when a {@link KeySelector} returns null: a record without a key cannot be
 * assigned a key group. The message names the exchange and the element. The job fails (and
 * restarts from its last checkpoint); filter or default such keys before {@code keyBy}.
 */
public final class NullKeyException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message names the exchange and the element, never null
   */
  public NullKeyException(String message) {
    super(message);
  }
}
