package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a topic's name, partition count or configuration is invalid. The message names the topic and the value at fault. */
public final class InvalidTopicException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public InvalidTopicException(String message) {
    super(message);
  }
}
