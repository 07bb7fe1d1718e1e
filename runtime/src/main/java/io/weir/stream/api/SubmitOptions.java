package io.weir.stream.api;

/**
 * How a job is submitted besides its definition and arguments.
 *
 * @param fromSavepoint the savepoint the job starts from (its keyed state by key group, its
 *     sources' positions); null for a fresh start
 * @param parallelism replaces the job's default parallelism (even one its definition sets;
 *     an operator's own parallelism still wins), to rescale from a savepoint; null for none
 */
public record SubmitOptions(String fromSavepoint, Integer parallelism) {
  /** No savepoint, the definition's parallelism. */
  public static final SubmitOptions NONE = new SubmitOptions(null, null);

  /** Checks the parallelism. */
  public SubmitOptions {
    if (parallelism != null && parallelism < 1) {
      throw new IllegalArgumentException("a parallelism must be at least 1, was " + parallelism);
    }
  }
}
