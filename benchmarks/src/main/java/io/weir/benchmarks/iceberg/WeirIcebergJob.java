package io.weir.benchmarks.iceberg;

import io.weir.lakehouse.IcebergCommittable;
import io.weir.lakehouse.IcebergSink;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.Row;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Weir's side of the Iceberg benchmark: a bounded generator of {@link BenchRows} at the given
 * parallelism into {@link IcebergSink#append} (writers at that parallelism, one committer),
 * checkpointing at the given interval; the committer's commit calls are timed.
 */
public final class WeirIcebergJob implements JobDefinition {
  /**
   * The job's arguments.
   *
   * @param lakehouse the lakehouse directory
   * @param table the table, which must exist
   * @param rows how many rows
   * @param parallelism of the generator and the writers
   * @param checkpointMillis the checkpoint interval
   * @param run the run's name, for {@link CommitTimes}
   */
  public static List<String> args(Path lakehouse, String table, long rows, int parallelism,
      long checkpointMillis, String run) {
    return List.of(lakehouse.toString(), table, Long.toString(rows),
        Integer.toString(parallelism), Long.toString(checkpointMillis), run);
  }

  @Override
  public void define(JobBuilder job, List<String> args) {
    LakehouseSettings settings = LakehouseSettings.at(Path.of(args.get(0)));
    long rows = Long.parseLong(args.get(2));
    job.setParallelism(Integer.parseInt(args.get(3)));
    job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(Long.parseLong(
        args.get(4)))));
    job.generate(i -> Row.insert(BenchRows.values(i)), rows)
        .sinkTo(new Timed(IcebergSink.append(settings, args.get(1), "bench"), args.get(5)))
        .name("Iceberg");
  }

  /** The Iceberg sink, its committer's commit calls timed into {@link CommitTimes}. */
  record Timed(IcebergSink delegate, String run)
      implements TwoPhaseCommitSink<Row, IcebergCommittable> {
    @Override
    public PrecommittingSinkWriter<Row, IcebergCommittable> createWriter(SinkContext context) {
      return delegate.createWriter(context);
    }

    @Override
    public Committer<IcebergCommittable> createCommitter(SinkContext context) {
      Committer<IcebergCommittable> inner = delegate.createCommitter(context);
      return new Committer<>() {
        @Override
        public void commit(long checkpointId, Collection<IcebergCommittable> committables)
            throws Exception {
          long start = System.nanoTime();
          inner.commit(checkpointId, committables);
          CommitTimes.record(run, System.nanoTime() - start);
        }

        @Override
        public void abort(long checkpointId, Collection<IcebergCommittable> committables)
            throws Exception {
          inner.abort(checkpointId, committables);
        }

        @Override
        public boolean commitNow(int waiting, Duration since) {
          return inner.commitNow(waiting, since);
        }

        @Override
        public void close() throws Exception {
          inner.close();
        }
      };
    }

    @Override
    public boolean globalCommitter() {
      return delegate.globalCommitter();
    }

    @Override
    public Class<IcebergCommittable> committableType() {
      return delegate.committableType();
    }
  }
}
