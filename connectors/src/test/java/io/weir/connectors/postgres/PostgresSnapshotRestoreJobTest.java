package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CommittingSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.SubmitOptions;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job stopped with a savepoint in the middle of its snapshot and started again from it resumes
 * the snapshot there: downstream of a two-phase-commit sink, every row is read once and every
 * change committed while the snapshot ran (and while no job ran) arrives once.
 */
class PostgresSnapshotRestoreJobTest {
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

  /** args: jdbc URL, checkpoint interval ms. Snapshots "ledger" slowly, then streams it. */
  public static final class Ledger implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      // The first job takes a savepoint only: a periodic checkpoint in progress would refuse it.
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(
          Long.parseLong(args.get(1)))));
      job.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(100)));
      job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user("postgres")
              .password("postgres").slotName("ledger_restore").publicationName("ledger_restore")
              .tables(List.of("ledger")).snapshotChunkSize(32).queueCapacity(16).build(),
              "Postgres CDC")
          .map(event -> {
            if (event.op() == ChangeEvent.Operation.READ) {
              Thread.sleep(1); // a slow snapshot, so that the savepoint falls inside it
            }
            SEEN.incrementAndGet();
            Map<String, Object> row = event.after() != null ? event.after() : event.before();
            Object oldId = event.before() == null ? row.get("id") : event.before().get("id");
            return event.op().code() + ":" + oldId + ":" + row.get("id") + ":"
                + (event.after() == null ? "" : event.after().get("balance"));
          }).name("Slow")
          .sinkTo(new CommittingSink("ledger"));
    }
  }

  @Test
  void aJobStartedFromASavepointInTheMiddleOfItsSnapshotDeliversEveryRowAndChangeOnce() throws Exception {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    Random random = new Random(seed);
    server.execute("CREATE TABLE ledger (id int PRIMARY KEY, balance int NOT NULL)",
        "INSERT INTO ledger SELECT g, 0 FROM generate_series(1, 3000) g");
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger commits = new AtomicInteger();
    Thread writer = new Thread(() -> {
      int nextId = 100_000;
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        while (writing.get()) {
          int id = 1 + random.nextInt(3000);
          switch (random.nextInt(4)) {
            case 0 -> s.execute("INSERT INTO ledger VALUES (" + nextId++ + ", 1)");
            case 1 -> s.execute("UPDATE ledger SET balance = balance + 1 WHERE id = " + id);
            case 2 -> s.execute("DELETE FROM ledger WHERE id = " + id);
            default -> s.execute("UPDATE ledger SET id = " + nextId++ + " WHERE id = " + id);
          }
          commits.incrementAndGet();
          Thread.sleep(2);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    JobStatus first = StreamTestKit.await(kit.jobs().submit(Ledger.class,
        List.of(server.jdbcUrl(), "3600000")));
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (SEEN.get() < 300 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    String savepoint = StreamTestKit.await(kit.jobs().savepoint(first.jobId(), true));
    StreamTestKit.await(kit.jobs().awaitTermination(first.jobId(), Duration.ofSeconds(60)));
    Thread.sleep(300); // changes while no job runs
    JobStatus job = StreamTestKit.await(kit.jobs().submit(Ledger.class.getName(),
        List.of(server.jdbcUrl(), "100"), new SubmitOptions(savepoint, null)));
    while (SEEN.get() < 3500 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    writing.set(false);
    writer.join();
    Map<Integer, Integer> expected = new HashMap<>();
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT id, balance FROM ledger")) {
      while (rows.next()) {
        expected.put(rows.getInt(1), rows.getInt(2));
      }
    }
    Map<Integer, Integer> model = new HashMap<>();
    List<String> violations = new ArrayList<>();
    Set<Integer> read = new HashSet<>();
    int applied = 0;
    while (!model.equals(expected) && System.nanoTime() < deadline) {
      List<String> committed = CommittingSink.committed("ledger");
      for (; applied < committed.size(); applied++) {
        String[] f = committed.get(applied).split(":", -1);
        int oldId = Integer.parseInt(f[1]);
        int id = Integer.parseInt(f[2]);
        switch (f[0]) {
          case "r", "c" -> {
            if (f[0].equals("r") && !read.add(id)) {
              violations.add("read twice: " + id);
            }
            if (model.put(id, Integer.parseInt(f[3])) != null) {
              violations.add("seen already: " + committed.get(applied));
            }
          }
          case "u" -> {
            if (model.remove(oldId) == null) {
              violations.add("update of a row never seen: " + committed.get(applied));
            }
            if (model.put(id, Integer.parseInt(f[3])) != null) {
              violations.add("update onto a row seen: " + committed.get(applied));
            }
          }
          case "d" -> {
            if (model.remove(id) == null) {
              violations.add("delete of a row never seen: " + committed.get(applied));
            }
          }
          default -> violations.add("unexpected " + committed.get(applied));
        }
      }
      Thread.sleep(50);
    }
    JobStatus status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    assertEquals(List.of(), violations, "seed " + seed + " " + status.summary());
    assertEquals(expected, model, "seed " + seed + " " + status.summary());
    assertTrue(commits.get() > 100, "the writer wrote during the snapshot");
    assertTrue(kit.weir().metrics().get("weir.cdc.snapshot.resumed").counter().count() >= 1,
        "the restore resumed the snapshot rather than starting it again: " + status.summary()
            + " " + kit.weir().metrics().getMeters().stream().filter(m -> m.getId().getName()
            .startsWith("weir.cdc")).map(m -> m.getId() + "=" + m.measure()).toList());
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }
}
