package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.StreamTestKit;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpointed changelog job (upserts and deletes keyed by the primary key) with injected
 * failures leaves the table equal to the model: the last change of every key.
 */
class UpsertJobTest {
  private static final int RECORDS = 6000;
  /** The number of changes, for the other job tests that share the changelog. */
  static final int RECORDS_FOR_TESTS = RECORDS;
  private static final Set<Long> FAIL_AT = ConcurrentHashMap.newKeySet();
  private static StreamTestKit kit;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("""
        # small batches and buffers: barriers wait behind less data, checkpoints come often
        weir.stream.batch-size = 32
        weir.stream.exchange-buffer = 2
        """);
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /**
   * The change at index i. Keys keep the parity of their indices: the interleaving generator
   * reads each key from one subtask, in order.
   */
  static Row change(long i) {
    long key = (i % 2) + 2 * ((i / 2) % 25);
    if (i % 7 == 3) {
      return Row.delete(Map.of("id", key));
    }
    Map<String, Object> values = new HashMap<>();
    values.put("id", key);
    values.put("owner", "o" + i);
    values.put("balance", (int) (i % 1000));
    return i % 2 == 0 ? Row.upsert(values) : Row.insert(values);
  }

  static Map<Long, String> model() {
    Map<Long, String> model = new TreeMap<>();
    for (long i = 0; i < RECORDS; i++) {
      Row row = change(i);
      long key = ((Number) row.values().get("id")).longValue();
      if (row.kind() == Row.Kind.DELETE) {
        model.remove(key);
      } else {
        model.put(key, row.values().get("owner") + ":" + row.values().get("balance"));
      }
    }
    return model;
  }

  /** args: lakehouse directory, table. */
  public static final class Changelog implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(10, Duration.ofMillis(50)));
      job.<Long>generate(i -> {
        if (i >= RECORDS && (i / 2) % 32 == 0) {
          Thread.sleep(1);
        }
        return i;
      })
          .filter(i -> i < RECORDS)
          .keyBy(i -> (i % 2) + 2 * ((i / 2) % 25))
          .process(new ToChange()).name("Inject")
          .sinkTo(IcebergSink.upsert(LakehouseSettings.at(Path.of(args.get(0))), args.get(1),
              "changes")).name("Iceberg");
    }
  }

  /** Turns an index into its change, slowly, failing at the chosen indices. */
  static final class ToChange implements KeyedProcessFunction<Long, Long, Row> {
    private final Set<Long> failAt;

    ToChange() {
      this(FAIL_AT);
    }

    ToChange(Set<Long> failAt) {
      this.failAt = failAt;
    }

    @Override
    public void processElement(Long i, Context<Long> ctx, Collector<Row> out) throws Exception {
      if (failAt.remove(i)) {
        throw new IllegalStateException("injected failure at record " + i);
      }
      if (i % 10 == 0) {
        Thread.sleep(1);
      }
      out.collect(change(i));
    }
  }

  @Test
  void changesWithFailuresEqualTheModel() throws Exception {
    FAIL_AT.addAll(Set.of(1500L, 4100L));
    LakehouseSettings settings = LakehouseSettings.at(dir);
    Map<Long, String> model = model();
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("accounts", TableDefinition.of(UpsertTest.ACCOUNTS)
          .withPrimaryKey("id").withPartitioning("bucket(4, id)"));
      JobStatus job = StreamTestKit.await(kit.jobs().submit(Changelog.class,
          List.of(dir.toString(), "accounts")));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      Map<Long, String> seen = UpsertTest.tableAsMap(table);
      while (!seen.equals(model) && System.nanoTime() < deadline) {
        Thread.sleep(300);
        seen = UpsertTest.tableAsMap(table);
      }
      int snapshots = 0;
      for (var ignored : table.snapshots()) {
        snapshots++;
      }
      System.out.println("UpsertJobTest: model reached after "
          + (System.nanoTime() - deadline + Duration.ofSeconds(120).toNanos()) / 1_000_000
          + " ms, " + snapshots + " snapshots");
      Thread.sleep(1000);
      JobStatus status = StreamTestKit.await(kit.jobs().status(job.jobId()));
      StreamTestKit.await(kit.jobs().cancel(job.jobId()));
      StreamTestKit.await(kit.jobs().awaitTermination(job.jobId(), Duration.ofSeconds(110)));
      assertEquals(model, UpsertTest.tableAsMap(table), status.summary());
      assertTrue(FAIL_AT.isEmpty(), "every failure was injected");
      assertTrue(status.restarts() >= 1, status.summary());
    }
  }
}
