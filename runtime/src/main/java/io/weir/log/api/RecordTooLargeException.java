package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a record or batch exceeds the topic's max.message.bytes. The message names the topic and the value at fault. */
public final class RecordTooLargeException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public RecordTooLargeException(String message) {
    super(message);
  }
}
