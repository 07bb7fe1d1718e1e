package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a consumer group does not know the member id: it left, or missed its session timeout and was removed. The member must join again. */
public final class UnknownMemberException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public UnknownMemberException(String message) {
    super(message);
  }
}
