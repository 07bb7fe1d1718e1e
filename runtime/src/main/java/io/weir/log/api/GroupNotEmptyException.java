package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when an operation that needs a group without members (an offset reset) finds members. */
public final class GroupNotEmptyException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public GroupNotEmptyException(String message) {
    super(message);
  }
}
