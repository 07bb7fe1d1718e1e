package io.weir.journal.internal;

import io.weir.api.WeirException;

/**
 * A segment file does not follow the layout of {@link FrameCodec}: a CRC mismatch, an
 * impossible length, a header that disagrees with its body, or sequence numbers out of order.
 * Thrown where data that was acknowledged cannot be served intact.
 */
public final class CorruptSegmentException extends WeirException {
  /**
   * Creates the error.
   *
   * @param message names the file and position where that is known, never null
   */
  public CorruptSegmentException(String message) {
    super(message);
  }

  /**
   * Creates the error with its cause.
   *
   * @param message names the file and position where that is known, never null
   * @param cause the underlying failure, may be null
   */
  public CorruptSegmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
