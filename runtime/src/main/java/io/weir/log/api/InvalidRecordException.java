package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a record breaks a rule of its topic, such as a compacted topic's need for keys. */
public final class InvalidRecordException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public InvalidRecordException(String message) {
    super(message);
  }
}
