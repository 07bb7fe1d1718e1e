package io.weir.stream.api;

import io.weir.api.WeirException;
import java.util.List;

/**
 * Thrown when a job cannot be planned: every problem found, each naming the operator and the
 * value at fault (a cycle, a parallelism out of range, an operator whose output reaches no sink,
 * a missing key selector, a job class that cannot be created).
 */
public final class InvalidJobException extends WeirException {
  private final List<String> problems;

  /**
   * Creates the error for one problem.
   *
   * @param problem what is wrong, for the user, never null
   */
  public InvalidJobException(String problem) {
    this(List.of(problem));
  }

  /**
   * Creates the error for several problems; the message lists them, one per line.
   *
   * @param problems what is wrong, at least one, never null
   */
  public InvalidJobException(List<String> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Creates the error for one problem with its cause.
   *
   * @param problem what is wrong, for the user, never null
   * @param cause the underlying failure, may be null
   */
  public InvalidJobException(String problem, Throwable cause) {
    super(problem, cause);
    this.problems = List.of(problem);
  }

  /** Every problem found, in the order found; never empty. */
  public List<String> problems() {
    return problems;
  }

  private static String message(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid job has at least one problem");
    }
    return problems.size() == 1 ? problems.get(0)
        : "the job has " + problems.size() + " problems:\n  " + String.join("\n  ", problems);
  }
}
