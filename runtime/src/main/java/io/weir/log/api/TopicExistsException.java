package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a topic of that name already exists. The message names the topic and the value at fault. */
public final class TopicExistsException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public TopicExistsException(String message) {
    super(message);
  }
}
