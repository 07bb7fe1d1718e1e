package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a member commits an offset of a partition that is not assigned to it. */
public final class PartitionNotAssignedException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public PartitionNotAssignedException(String message) {
    super(message);
  }
}
