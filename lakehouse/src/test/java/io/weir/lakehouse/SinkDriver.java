package io.weir.lakehouse;

import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Drives a sink's writer and committer as one sink subtask would, without a job: write,
 * checkpoint (pre-commit then commit), and a look at what was pre-committed.
 */
final class SinkDriver implements AutoCloseable {
  final PrecommittingSinkWriter<Row, IcebergCommittable> writer;
  final Committer<IcebergCommittable> committer;

  SinkDriver(IcebergSink sink) throws Exception {
    this(sink, 0);
  }

  SinkDriver(IcebergSink sink, int subtask) throws Exception {
    SinkContext context = context(subtask);
    writer = sink.createWriter(context);
    committer = sink.createCommitter(context);
  }

  static SinkContext context(int subtask) {
    return new SinkContext() {
      @Override
      public String jobName() {
        return "test-job";
      }

      @Override
      public int subtaskIndex() {
        return subtask;
      }

      @Override
      public int parallelism() {
        return 1;
      }
    };
  }

  void write(Row row) throws Exception {
    writer.write(row, null);
  }

  /** Pre-commits only: what a barrier hands over. */
  List<IcebergCommittable> precommit(long checkpointId) throws Exception {
    writer.flush(false);
    return new ArrayList<>(writer.precommit(checkpointId));
  }

  /** Pre-commits and commits: a checkpoint that completes. */
  Collection<IcebergCommittable> checkpoint(long checkpointId) throws Exception {
    List<IcebergCommittable> staged = precommit(checkpointId);
    committer.commit(checkpointId, staged);
    return staged;
  }

  @Override
  public void close() throws Exception {
    try {
      writer.close();
    } finally {
      committer.close();
    }
  }
}
