package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a member speaks for a generation of its group that a rebalance has replaced (a stale commit or heartbeat). The member must join again. */
public final class IllegalGenerationException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public IllegalGenerationException(String message) {
    super(message);
  }
}
