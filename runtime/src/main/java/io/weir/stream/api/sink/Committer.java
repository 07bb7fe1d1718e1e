package io.weir.stream.api.sink;

import java.util.Collection;

/**
 * Makes staged data visible, or throws it away. Called from one thread, one call at a time; a
 * call may block on the external system.
 *
 * @param <C> the committable type
 */
public interface Committer<C> extends AutoCloseable {
  /**
   * Commits the committables of checkpoint {@code checkpointId}, once the job master has declared
   * it complete. Must be idempotent: after a crash the same committables are committed again, and
   * a commit already made must be a no-op. Key it by something unique to each pre-commit (a
   * transaction id, or a random id minted at pre-commit): a checkpoint's id repeats when an
   * abandoned checkpoint is retried, and both pre-commits must be committed.
   *
   * @param checkpointId the completed checkpoint
   * @param committables what the writers pre-committed for it, never null
   * @throws Exception a failure; the commit is retried, as the data is already staged
   */
  void commit(long checkpointId, Collection<C> committables) throws Exception;

  /**
   * Throws away staged data of a checkpoint that will never complete: when an attempt ends (a
   * cancel, or a failure elsewhere in the job), what was pre-committed for checkpoints after
   * the latest completed one. Must be idempotent too. (The subtask that failed itself closes
   * without it; what it staged beyond is left to the system to expire.)
   *
   * @param checkpointId the checkpoint that failed
   * @param committables what was pre-committed for it, never null
   * @throws Exception a failure; reported, and the data may linger until the system expires it
   */
  void abort(long checkpointId, Collection<C> committables) throws Exception;

  /**
   * Whether to commit now, as a checkpoint completes, or to leave what is pending for a later
   * one: a commit cadence apart from the checkpoints' (fewer, larger commits, as a table wants).
   * What waits stays in every checkpoint taken meanwhile, so exactly-once holds; the final
   * checkpoint of a bounded input and the end of an attempt commit it regardless. When it
   * commits, one {@link #commit} call carries everything pre-committed up to the checkpoint.
   *
   * @param checkpointsWaiting completed checkpoints whose pre-commits are not committed yet,
   *     the one completing now included; at least 1
   * @param sinceLastCommit the time since this committer last committed, or was created
   * @return true to commit now (the default: at every checkpoint)
   */
  default boolean commitNow(int checkpointsWaiting, java.time.Duration sinceLastCommit) {
    return true;
  }

  /** Releases the committer's resources. */
  @Override
  void close() throws Exception;
}
