package io.weir.stream.api.sink;

/** What a sink writer or committer knows about its subtask. */
public interface SinkContext {
  /** The job's name, never null; part of idempotent commits' identifiers. */
  String jobName();

  /** This subtask's index. */
  int subtaskIndex();

  /** The sink's parallelism. */
  int parallelism();
}
