package io.weir.stream.api.sink;

/**
 * A sink connector: a factory of one {@link SinkWriter} per subtask. Created by the job
 * definition on every node, never serialized. A plain sink gives at-least-once delivery (its
 * writer flushes on every checkpoint barrier); for exactly-once implement
 * {@link TwoPhaseCommitSink}.
 *
 * @param <T> the type of the elements written
 */
public interface Sink<T> {
  /**
   * Creates the writer of one subtask.
   *
   * @param context the subtask's identity, never null
   * @return the writer
   * @throws Exception when it cannot be created; the job fails
   */
  SinkWriter<T> createWriter(SinkContext context) throws Exception;
}
