package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maintenance entity and its schedule in a one-node cluster: a changelog job upserts a
 * table while the table is compacted every 200 ms; the table ends equal to the model.
 */
class MaintenanceJobTest {
  private static StreamTestKit kit;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("""
        weir.stream.batch-size = 32
        weir.stream.exchange-buffer = 2
        """);
    LakehouseMaintenance.start(kit.weir().system(), LakehouseSettings.at(dir),
        MaintenanceSettings.defaults().withCompactInterval(Duration.ofMillis(200))
            .withExpiry(Duration.ZERO, 200).withOrphanGrace(Duration.ofHours(1)));
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static final int RECORDS = 1000;

  /** The last change of every key among the first {@link #RECORDS} changes. */
  static Map<Long, String> model() {
    Map<Long, String> model = new TreeMap<>();
    for (long i = 0; i < RECORDS; i++) {
      Row row = UpsertJobTest.change(i);
      long key = ((Number) row.values().get("id")).longValue();
      if (row.kind() == Row.Kind.DELETE) {
        model.remove(key);
      } else {
        model.put(key, row.values().get("owner") + ":" + row.values().get("balance"));
      }
    }
    return model;
  }

  /** {@link UpsertJobTest}'s changelog, shorter, without failures. args: directory, table. */
  public static final class Changelog implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.<Long>generate(i -> {
        if (i >= RECORDS && (i / 2) % 32 == 0) {
          Thread.sleep(1); // past the input, both generator subtasks idle
        }
        return i;
      })
          .filter(i -> i < RECORDS)
          .keyBy(i -> (i % 2) + 2 * ((i / 2) % 25))
          .process(new UpsertJobTest.ToChange())
          .sinkTo(IcebergSink.upsert(LakehouseSettings.at(Path.of(args.get(0))), args.get(1),
              "changes")).name("Iceberg");
    }
  }

  static int compactions(Table table) {
    table.refresh();
    int n = 0;
    for (Snapshot s : table.snapshots()) {
      if ("compact".equals(s.summary().get("weir.maintenance"))) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aJobUpsertingWhileTheScheduleCompactsEndsWithTheRightRows() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    Map<Long, String> model = model();
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("accounts", TableDefinition.of(UpsertTest.ACCOUNTS)
          .withPrimaryKey("id").withPartitioning("bucket(2, id)"));
      JobStatus job = StreamTestKit.await(kit.jobs().submit(Changelog.class,
          List.of(dir.toString(), "accounts")));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      Map<Long, String> seen = UpsertTest.tableAsMap(table);
      while (!seen.equals(model) && System.nanoTime() < deadline) {
        Thread.sleep(300);
        seen = UpsertTest.tableAsMap(table);
      }
      if (!seen.equals(model)) {
        Map<Long, String> diff = new TreeMap<>();
        for (Long k : model.keySet()) {
          if (!model.get(k).equals(seen.get(k))) {
            diff.put(k, model.get(k) + " != " + seen.get(k));
          }
        }
        for (Long k : seen.keySet()) {
          if (!model.containsKey(k)) {
            diff.put(k, "extra " + seen.get(k));
          }
        }
        System.out.println("MaintenanceJobTest diff: " + diff + " status "
            + StreamTestKit.await(kit.jobs().status(job.jobId())).summary());
      }
      StreamTestKit.await(kit.jobs().cancel(job.jobId()));
      try {
        StreamTestKit.await(kit.jobs().awaitTermination(job.jobId(), Duration.ofSeconds(60)));
      } catch (java.util.concurrent.TimeoutException e) {
        // which thread holds the cancelled job up
        Thread.getAllStackTraces().forEach((thread, stack) -> {
          String trace = String.join("\n  ", java.util.Arrays.stream(stack)
              .map(Object::toString).toList());
          if (trace.contains("iceberg") || trace.contains("h2") || trace.contains("io.weir")) {
            System.out.println("MaintenanceJobTest thread " + thread.getName() + "\n  " + trace);
          }
        });
        System.out.println("MaintenanceJobTest status "
            + StreamTestKit.await(kit.jobs().status(job.jobId())).summary());
        throw e;
      }
      assertEquals(model, UpsertTest.tableAsMap(table));

      int compactions = compactions(table);
      System.out.println("MaintenanceJobTest: " + compactions + " compactions while the job ran;"
          + " model reached after " + (System.nanoTime() - deadline
          + Duration.ofSeconds(90).toNanos()) / 1_000_000 + " ms");
      assertTrue(compactions > 0, "the schedule compacted while the job ran");
      // a run on request, after the job: everything compacted, no deletes left to merge
      MaintenanceReport report = StreamTestKit.await(LakehouseMaintenance.runNow(
          kit.weir().system(), "accounts", Duration.ofSeconds(30)));
      assertEquals("default.accounts", report.table());
      assertEquals(model, UpsertTest.tableAsMap(table));
      int files = 0;
      try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks =
          table.newScan().planFiles()) {
        for (org.apache.iceberg.FileScanTask t : tasks) {
          files++;
          assertTrue(t.deletes().isEmpty(), "no deletes after compaction: " + t.deletes());
        }
      }
      assertTrue(files <= 2, files + " data files, one per bucket expected");
    }
  }

  @Test
  void anUnknownTableIsAClearFailure() {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> LakehouseMaintenance.runNow(kit.weir().system(), "nope", Duration.ofSeconds(30))
            .toCompletableFuture().get());
    assertTrue(e.getCause().getMessage().contains("no table default.nope"),
        e.getCause().getMessage());
  }
}
