package io.weir.api;

/**
 * The base of every error Weir reports to its users.
 *
 * <p>The message is written for the person who reads it: it names what was wrong (the topic,
 * the partition, the offending value) and, where there is one, what to do about it. The command
 * line prints it as a single line.
 */
public class WeirException extends RuntimeException {
  /**
   * Creates an error with a user-facing message.
   *
   * @param message what went wrong, never null
   */
  public WeirException(String message) {
    super(message);
  }

  /**
   * Creates an error with a user-facing message and its cause.
   *
   * @param message what went wrong, never null
   * @param cause the underlying failure, may be null
   */
  public WeirException(String message, Throwable cause) {
    super(message, cause);
  }
}
