package io.weir.stream.internal.exec;

import java.util.Objects;

/**
 * User code of an operator failed. Names the operator, so the job's status can say which one;
 * the cause is what the user's function threw.
 */
public final class OperatorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operator;

  /**
   * Creates the exception.
   *
   * @param operator the operator's name, never null
   * @param cause what its function threw, never null
   */
  public OperatorException(String operator, Throwable cause) {
    super("operator '" + operator + "' failed: " + cause, Objects.requireNonNull(cause));
    this.operator = Objects.requireNonNull(operator, "operator");
  }

  /** The failed operator's name. */
  public String operator() {
    return operator;
  }
}
