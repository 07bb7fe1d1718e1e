package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a commit names a partition its member does not own while the group rebalances. */
public final class RebalanceInProgressException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public RebalanceInProgressException(String message) {
    super(message);
  }
}
