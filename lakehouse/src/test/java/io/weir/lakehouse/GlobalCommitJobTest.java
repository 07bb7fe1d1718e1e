package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.lakehouse.internal.IcebergCommitter;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink's global committer in jobs: writers at parallelism 3 and one committer give one
 * snapshot per checkpoint holding every subtask's files; a crash right after an Iceberg commit,
 * before the runtime records it, commits nothing twice; upserts at parallelism 3 (one key per
 * writer, all writers' deletes and data of a checkpoint in one row delta) equal the model.
 */
class GlobalCommitJobTest {
  private static final int RECORDS = 3000;
  private static final Map<String, AtomicBoolean> CRASH = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> COMMITTERS = new ConcurrentHashMap<>();
  private static final Set<Long> FAIL_AT = ConcurrentHashMap.newKeySet();
  private static StreamTestKit kit;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("""
        weir.stream.batch-size = 32
        weir.stream.exchange-buffer = 2
        """);
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** args: lakehouse directory, table, test name. A bounded job, sink at parallelism 3. */
  public static final class Append implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(50)));
      job.<Long>generate(i -> {
        if (i % 2 == 0) {
          Thread.sleep(1); // a few seconds: dozens of checkpoints
        }
        return i;
      }, RECORDS).setParallelism(1)
          .rebalance()
          .map(i -> Row.insert(Map.of("id", i, "ts", "2026-01-01T00:00:00", "name", "n" + i)))
          .setParallelism(3)
          .sinkTo(new CrashAfterCommit(IcebergSink.append(LakehouseSettings.at(
              Path.of(args.get(0))), args.get(1), "events"), args.get(2)))
          .setParallelism(3).name("Iceberg");
    }
  }

  /** Delegates; its committer throws once right after an Iceberg commit of checkpoint 3+. */
  record CrashAfterCommit(IcebergSink delegate, String name)
      implements TwoPhaseCommitSink<Row, IcebergCommittable> {
    @Override
    public PrecommittingSinkWriter<Row, IcebergCommittable> createWriter(SinkContext context)
        throws Exception {
      return delegate.createWriter(context);
    }

    @Override
    public Committer<IcebergCommittable> createCommitter(SinkContext context) throws Exception {
      COMMITTERS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      assertEquals(1, context.parallelism(), "the committer runs at parallelism 1");
      Committer<IcebergCommittable> inner = delegate.createCommitter(context);
      return new Committer<>() {
        @Override
        public void commit(long checkpointId, Collection<IcebergCommittable> committables)
            throws Exception {
          inner.commit(checkpointId, committables);
          if (checkpointId >= 3 && checkpointId < Long.MAX_VALUE
              && CRASH.getOrDefault(name, new AtomicBoolean()).compareAndSet(true, false)) {
            throw new IllegalStateException("injected crash after the Iceberg commit of"
                + " checkpoint " + checkpointId);
          }
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

  @Test
  void writersAtParallelism3CommitOneSnapshotPerCheckpointAndNothingTwiceAfterACrash()
      throws Exception {
    String name = "append";
    CRASH.put(name, new AtomicBoolean(true));
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseSettings.at(dir))) {
      lakehouse.createTable("db.events", TableDefinition.of(TableFeaturesTest.EVENTS));
      JobStatus end = kit.run(Append.class, dir.toString(), "db.events", name);
      Table table = lakehouse.loadTable("db.events");
      for (Snapshot s : table.snapshots()) {
        System.out.println("GlobalCommitJobTest: snapshot of checkpoint "
            + s.summary().get(IcebergCommitter.CHECKPOINT_ID) + ", runs "
            + s.summary().get(IcebergCommitter.RUNS) + ", rows "
            + s.summary().get("added-records"));
      }
      assertEquals(JobState.FINISHED, end.state(), end.summary());
      assertTrue(end.restarts() >= 1, "the crash after a commit restarted the job: "
          + end.summary());
      assertTrue(!CRASH.get(name).get(), "the crash was injected");

      Map<Long, Integer> seen = new HashMap<>();
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
        for (Record r : rows) {
          seen.merge((Long) r.getField("id"), 1, Integer::sum);
        }
      }
      assertEquals(RECORDS, seen.size(), "every row: " + end.summary());
      assertEquals(0, seen.values().stream().filter(c -> c > 1).count(), "no row twice");

      // Newest first: checkpoint ids fall, one snapshot each, holding several writers' runs.
      List<Long> checkpoints = new ArrayList<>();
      int severalWriters = 0;
      long added = 0;
      for (Snapshot s = table.currentSnapshot(); s != null;
          s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
        Map<String, String> summary = s.summary();
        checkpoints.add(Long.parseLong(summary.get(IcebergCommitter.CHECKPOINT_ID)));
        added += Long.parseLong(summary.get("added-records"));
        if (summary.get(IcebergCommitter.RUNS).split(",").length >= 2) {
          severalWriters++;
        }
      }
      System.out.println("GlobalCommitJobTest: " + checkpoints.size() + " snapshots, "
          + severalWriters + " with several writers, " + end.summary());
      assertEquals(RECORDS, added, "the snapshots added every row once");
      assertEquals(checkpoints.size(), new HashSet<>(checkpoints).size(),
          "one snapshot per checkpoint: " + checkpoints);
      for (int i = 1; i < checkpoints.size(); i++) {
        assertTrue(checkpoints.get(i) < checkpoints.get(i - 1), "in checkpoint order: "
            + checkpoints);
      }
      assertTrue(checkpoints.size() >= 3, "several checkpoints committed: " + checkpoints);
      assertTrue(severalWriters >= 1, "a snapshot holds several subtasks' files");
      assertTrue(COMMITTERS.get(name).get() >= 2, "a committer per attempt, not per subtask");
      assertTrue(COMMITTERS.get(name).get() <= 1 + end.restarts(),
          "one committer per attempt: " + COMMITTERS.get(name));
    }
  }

  /** args: lakehouse directory, table. Upserts keyed by id into a sink at parallelism 3. */
  public static final class Upserts implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      // The changelog's generator as in UpsertJobTest (parallelism 2: each key read by one
      // subtask, in order), keyed by the primary key into the changes and the sink at 3.
      job.setParallelism(3);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(10, Duration.ofMillis(50)));
      job.<Long>generate(i -> {
        if (i >= UpsertJobTest.RECORDS_FOR_TESTS && (i / 2) % 32 == 0) {
          Thread.sleep(1);
        }
        return i;
      }).setParallelism(2)
          .filter(i -> i < UpsertJobTest.RECORDS_FOR_TESTS).setParallelism(2)
          .keyBy(i -> (i % 2) + 2 * ((i / 2) % 25))
          .process(new UpsertJobTest.ToChange(FAIL_AT)).name("Inject")
          .sinkTo(IcebergSink.upsert(LakehouseSettings.at(Path.of(args.get(0))), args.get(1),
              "changes")).name("Iceberg");
    }
  }

  @Test
  void upsertsAtParallelism3WithAFailureEqualTheModel() throws Exception {
    FAIL_AT.add(2500L);
    Map<Long, String> model = UpsertJobTest.model();
    try (Lakehouse lakehouse = Lakehouse.open(LakehouseSettings.at(dir))) {
      Table table = lakehouse.createTable("accounts3", TableDefinition.of(UpsertTest.ACCOUNTS)
          .withPrimaryKey("id").withPartitioning("bucket(4, id)"));
      JobStatus job = StreamTestKit.await(kit.jobs().submit(Upserts.class,
          List.of(dir.toString(), "accounts3")));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      Map<Long, String> seen = UpsertTest.tableAsMap(table);
      while (!seen.equals(model) && System.nanoTime() < deadline) {
        Thread.sleep(300);
        seen = UpsertTest.tableAsMap(table);
      }
      Thread.sleep(1000);
      JobStatus status = StreamTestKit.await(kit.jobs().status(job.jobId()));
      StreamTestKit.await(kit.jobs().cancel(job.jobId()));
      StreamTestKit.await(kit.jobs().awaitTermination(job.jobId(), Duration.ofSeconds(110)));
      assertEquals(model, UpsertTest.tableAsMap(table), status.summary());
      assertTrue(FAIL_AT.isEmpty(), "the failure was injected");
      assertTrue(status.restarts() >= 1, status.summary());
      table.refresh();
      Set<String> checkpoints = new HashSet<>();
      int severalWriters = 0;
      for (Snapshot s : table.snapshots()) {
        assertTrue(checkpoints.add(s.summary().get(IcebergCommitter.CHECKPOINT_ID)),
            "one snapshot per checkpoint: " + s.summary());
        if (s.summary().get(IcebergCommitter.RUNS).split(",").length >= 2) {
          severalWriters++;
        }
      }
      assertTrue(severalWriters >= 1, "a row delta holds several subtasks' files");
    }
  }
}
