package io.weir.stream.api.sink;

/**
 * An exactly-once sink. Its writers stage what they write and, on each checkpoint barrier,
 * hand over a committable per transaction ({@link PrecommittingSinkWriter#precommit}); the
 * committables travel in the checkpoint, and the {@link Committer} makes them visible only when
 * the job master announces the checkpoint complete. After a failure, committables of a
 * completed checkpoint are committed again (so commits are idempotent) and those of a checkpoint
 * that did not complete are aborted.
 *
 * @param <T> the type of the elements written
 * @param <C> the committable type: a serializable record naming staged data (a transaction id,
 *     a list of data files)
 */
public interface TwoPhaseCommitSink<T, C> extends Sink<T> {
  /**
   * Creates the staging writer of one subtask.
   *
   * @param context the subtask's identity, never null
   * @return the writer
   * @throws Exception when it cannot be created; the job fails
   */
  @Override
  PrecommittingSinkWriter<T, C> createWriter(SinkContext context) throws Exception;

  /**
   * Creates the committer: one per sink subtask, committing that subtask's committables; or,
   * when {@link #globalCommitter()} is true, a single one for the whole sink (its context is
   * subtask 0 of parallelism 1).
   *
   * @param context the subtask's identity, never null
   * @return the committer
   * @throws Exception when it cannot be created; the job fails
   */
  Committer<C> createCommitter(SinkContext context) throws Exception;

  /**
   * Whether all subtasks' committables go to one committer, as in Flink's Sink V2 with a
   * committer of parallelism 1: the planner adds a committer vertex of parallelism 1 after the
   * writers, each writer sends the committables of a barrier downstream as records ahead of the
   * barrier, and the committer keeps them in its own checkpointed state and commits everything
   * of a checkpoint in one {@link Committer#commit} call when the checkpoint completes (one
   * table snapshot per checkpoint rather than one per subtask). Exactly-once, the commit
   * cadence, the final commit of a bounded input and the end-of-attempt commit and abort work
   * as with per-subtask committers. The committables then also cross the network between
   * nodes, so they must serialize (as they do for checkpoints).
   *
   * @return true for a single committer; false (the default) for one per writer subtask
   */
  default boolean globalCommitter() {
    return false;
  }

  /** The committable's class, for serialization into checkpoints, never null. */
  Class<C> committableType();
}
