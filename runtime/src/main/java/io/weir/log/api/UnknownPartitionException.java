package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a partition number is outside the topic's partitions. The message names the topic and the value at fault. */
public final class UnknownPartitionException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public UnknownPartitionException(String message) {
    super(message);
  }
}
