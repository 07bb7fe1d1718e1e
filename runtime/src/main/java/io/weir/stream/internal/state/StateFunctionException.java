package io.weir.stream.internal.state;

/**
 * A user function called by a state (a reduce function) threw a checked exception, which the
 * state's interface cannot declare; the cause is that exception. Fails the job like any
 * exception thrown while processing an element.
 */
public final class StateFunctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Wraps a function's checked exception.
   *
   * @param message names the state, never null
   * @param cause the function's exception, never null
   */
  public StateFunctionException(String message, Throwable cause) {
    super(message, cause);
  }
}
