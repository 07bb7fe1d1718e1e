package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when no consumer group of that name has ever been used. */
public final class UnknownGroupException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public UnknownGroupException(String message) {
    super(message);
  }
}
