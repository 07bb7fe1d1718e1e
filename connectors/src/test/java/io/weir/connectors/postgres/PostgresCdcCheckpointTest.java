package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CommittingSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once CDC in a checkpointed job: the WAL position travels in the job's checkpoints,
 * the slot's confirmed position advances only as checkpoints complete, and failures injected
 * while streaming roll the job back without losing or repeating a change downstream.
 */
class PostgresCdcCheckpointTest {
  private static final Set<Long> FAIL_AT = Set.of(1_400L, 1_800L);
  private static final AtomicLong SEEN = new AtomicLong();
  private static PostgresServer server;
  private static StreamTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.logical();
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() throws Exception {
    kit.close();
    server.close();
  }

  /** args: jdbc URL. Snapshot then stream the table "orders", with injected failures. */
  public static final class Orders implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(100)));
      job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user("postgres")
              .password("postgres").slotName("orders_eo").publicationName("orders_eo")
              .tables(List.of("orders")).snapshotMode(SnapshotMode.INITIAL).build(),
              "Postgres CDC")
          .map(event -> {
            long n = SEEN.incrementAndGet();
            if (FAIL_AT.contains(n)) {
              throw new IllegalStateException("injected failure at change " + n);
            }
            return event.op().code() + ":" + event.after().get("id");
          }).name("Inject")
          .sinkTo(new CommittingSink("orders"));
    }
  }

  private static long confirmedFlushLsn() throws Exception {
    try (Connection c = server.connect(); ResultSet r = c.createStatement().executeQuery(
        "SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots"
            + " WHERE slot_name = 'orders_eo'")) {
      return r.next() ? r.getLong(1) : -1;
    }
  }

  @Test
  void changesAreCommittedOnceAcrossRestoresAndTheSlotFollowsCheckpoints() throws Exception {
    server.execute("CREATE TABLE orders (id int PRIMARY KEY, note text)",
        "INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, 1000) g");
    JobStatus job = StreamTestKit.await(kit.jobs().submit(Orders.class,
        List.of(server.jdbcUrl())));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (CommittingSink.committed("orders").size() < 1000 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    long afterSnapshot = confirmedFlushLsn();
    for (int i = 1001; i <= 2000; i++) {
      server.execute("INSERT INTO orders VALUES (" + i + ", 'n" + i + "')");
    }
    while (CommittingSink.committed("orders").size() < 2000 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(1000); // a duplicate would show up now
    JobStatus status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    assertTrue(status.restarts() >= 1, status.summary());
    List<String> expected = Stream.concat(
        IntStream.rangeClosed(1, 1000).mapToObj(i -> "r:" + i),
        IntStream.rangeClosed(1001, 2000).mapToObj(i -> "c:" + i)).sorted().toList();
    assertEquals(expected, CommittingSink.committed("orders").stream().sorted().toList(),
        status.summary());
    assertTrue(confirmedFlushLsn() > afterSnapshot, "the slot advanced with the checkpoints");
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }
}
