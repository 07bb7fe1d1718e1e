package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when the topic does not exist. The message names the topic and the value at fault. */
public final class UnknownTopicException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public UnknownTopicException(String message) {
    super(message);
  }
}
