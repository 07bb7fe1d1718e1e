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
   * Creates the committer; one per sink subtask, committing that subtask's committables.
   *
   * @param context the subtask's identity, never null
   * @return the committer
   * @throws Exception when it cannot be created; the job fails
   */
  Committer<C> createCommitter(SinkContext context) throws Exception;

  /** The committable's class, for serialization into checkpoints, never null. */
  Class<C> committableType();
}
