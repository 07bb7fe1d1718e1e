package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when an offset lies outside a partition's retained range. The message names the topic and the value at fault. */
public final class OffsetOutOfRangeException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public OffsetOutOfRangeException(String message) {
    super(message);
  }
}
