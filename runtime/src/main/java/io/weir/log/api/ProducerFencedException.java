package io.weir.log.api;

import io.weir.api.WeirException;

/** Thrown when a producer's epoch is older than the newest epoch of its producer id, so a newer instance has taken over (the zombie is fenced). */
public final class ProducerFencedException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message what is wrong, for the user, never null
   */
  public ProducerFencedException(String message) {
    super(message);
  }
}
