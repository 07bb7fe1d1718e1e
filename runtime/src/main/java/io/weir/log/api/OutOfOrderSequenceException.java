package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a batch's sequence number does not follow the last one its producer wrote to the partition. */
public final class OutOfOrderSequenceException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public OutOfOrderSequenceException(String message) {
    super(message);
  }
}
