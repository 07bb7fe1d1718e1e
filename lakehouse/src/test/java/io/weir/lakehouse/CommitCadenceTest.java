package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit cadence apart from the checkpoints: with checkpoints every 100 ms and commits every
 * fifth, the table gets a fifth of the snapshots, and a failure in the middle loses or repeats
 * no row (what waited for the cadence is in every checkpoint and committed after the restore).
 * Read back with Iceberg's reader.
 */
class CommitCadenceTest {
  private static final int RECORDS = 4_000;
  private static final AtomicBoolean FAILED = new AtomicBoolean();
  private static StreamTestKit kit;

  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    // Small batches and buffers: a barrier waits behind few records, checkpoints come often.
    kit = new StreamTestKit("weir.stream.batch-size = 8\nweir.stream.exchange-buffer = 1");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** args: lakehouse directory. */
  public static final class EveryFifthCheckpoint implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(50)));
      job.<Long>generate(i -> i, RECORDS).setParallelism(1)
          .rebalance()
          .map(i -> {
            if (i == RECORDS / 2 && FAILED.compareAndSet(false, true)) {
              throw new IllegalStateException("injected failure at record " + i);
            }
            Thread.sleep(1); // a few dozen checkpoints over the run
            return Row.insert(Map.of("id", i));
          }).setParallelism(2)
          .sinkTo(IcebergSink.append(LakehouseSettings.at(Path.of(args.get(0))), "t.cadence",
              "cadence").withCommitEvery(5, Duration.ZERO)).setParallelism(1);
    }
  }

  @Test
  void commitsEveryFifthCheckpointAndStaysExactlyOnceThroughAFailure() throws Exception {
    try (Lakehouse lake = Lakehouse.open(LakehouseSettings.at(dir))) {
      lake.createTable("t.cadence", TableDefinition.of(new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()))));
    }
    JobStatus end = kit.run(EveryFifthCheckpoint.class, dir.toString());
    assertEquals(JobState.FINISHED, end.state(), end.summary());
    assertTrue(end.restarts() >= 1, "the injected failure restarted the job: " + end.summary());
    long checkpoints = end.checkpoints().get(end.checkpoints().size() - 1).id();
    try (Lakehouse lake = Lakehouse.open(LakehouseSettings.at(dir))) {
      Table table = lake.loadTable("t.cadence");
      List<Record> rows = lake.read("t.cadence");
      Set<Object> ids = new HashSet<>();
      rows.forEach(r -> ids.add(r.getField("id")));
      assertEquals(RECORDS, rows.size(), "every row once");
      assertEquals(RECORDS, ids.size());
      int snapshots = table.history().size();
      assertTrue(checkpoints >= 10, "enough checkpoints to tell: " + checkpoints);
      // One snapshot per five checkpoints, plus the commits an attempt's end and the final
      // checkpoint force.
      assertTrue(snapshots <= checkpoints / 5 + 3, snapshots + " snapshots for " + checkpoints
          + " checkpoints");
    }
  }
}
