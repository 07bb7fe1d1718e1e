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
   * Throws away staged data of a checkpoint that did not complete (on recovery, for
   * committables found beyond the checkpoint restored). Must be idempotent too.
   *
   * @param checkpointId the checkpoint that failed
   * @param committables what was pre-committed for it, never null
   * @throws Exception a failure; reported, and the data may linger until the system expires it
   */
  void abort(long checkpointId, Collection<C> committables) throws Exception;

  /** Releases the committer's resources. */
  @Override
  void close() throws Exception;
}
