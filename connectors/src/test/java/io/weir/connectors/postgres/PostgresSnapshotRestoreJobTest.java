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
 * change committed while the snapshot ran (and while no job ran) arrives once. The first job's
 * snapshot is held in the middle by a lock on its second table, so the savepoint falls inside
 * it whatever the timing.
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

  /** args: jdbc URL, checkpoint interval ms. Snapshots then streams "first" and "second". */
  public static final class Ledgers implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(
          Long.parseLong(args.get(1)))));
      job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user("postgres")
              .password("postgres").slotName("ledgers").publicationName("ledgers")
              .tables(List.of("first", "second")).snapshotChunkSize(64).queueCapacity(32)
              .build(), "Postgres CDC")
          .map(event -> {
            SEEN.incrementAndGet();
            Map<String, Object> row = event.after() != null ? event.after() : event.before();
            Object oldId = event.before() == null ? row.get("id") : event.before().get("id");
            return event.op().code() + ":" + event.source().table() + ":" + oldId + ":"
                + row.get("id") + ":"
                + (event.after() == null ? "" : event.after().get("balance"));
          }).name("Describe")
          .sinkTo(new CommittingSink("ledgers"));
    }
  }

  /** Random inserts, updates (some moving keys) and deletes, one per transaction. */
  private static Thread writer(long seed, List<String> tables, int idBase, AtomicBoolean writing,
      AtomicInteger commits) {
    return new Thread(() -> {
      Random random = new Random(seed);
      int nextId = idBase;
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        while (writing.get()) {
          String t = tables.get(random.nextInt(tables.size()));
          int id = 1 + random.nextInt(t.equals("first") ? 20_000 : 2000);
          switch (random.nextInt(4)) {
            case 0 -> s.execute("INSERT INTO " + t + " VALUES (" + nextId++ + ", 1)");
            case 1 -> s.execute("UPDATE " + t + " SET balance = balance + 1 WHERE id = " + id);
            case 2 -> s.execute("DELETE FROM " + t + " WHERE id = " + id);
            default -> s.execute("UPDATE " + t + " SET id = " + nextId++ + " WHERE id = " + id);
          }
          commits.incrementAndGet();
          Thread.sleep(1);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static boolean slotExists() throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(
            "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'ledgers'")) {
      r.next();
      return r.getInt(1) > 0;
    }
  }

  private static Map<String, Integer> tables() throws Exception {
    Map<String, Integer> rows = new HashMap<>();
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT 'first', id, balance FROM first"
            + " UNION ALL SELECT 'second', id, balance FROM second")) {
      while (r.next()) {
        rows.put(r.getString(1) + ":" + r.getInt(2), r.getInt(3));
      }
    }
    return rows;
  }

  @Test
  void aJobStartedFromASavepointInTheMiddleOfItsSnapshotDeliversEveryRowAndChangeOnce()
      throws Exception {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    server.execute("CREATE TABLE first (id int PRIMARY KEY, balance int NOT NULL)",
        "INSERT INTO first SELECT g, 0 FROM generate_series(1, 20000) g",
        "CREATE TABLE second (id int PRIMARY KEY, balance int NOT NULL)",
        "INSERT INTO second SELECT g, 0 FROM generate_series(1, 2000) g",
        // Created now: creating it under the lock below would wait for the lock.
        "CREATE PUBLICATION ledgers FOR TABLE first, second");
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger commits = new AtomicInteger();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JobStatus job;
    try (Connection lock = server.connect(); Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      Thread onFirst = writer(seed, List.of("first"), 100_000, writing, commits);
      onFirst.start();
      JobStatus first = StreamTestKit.await(kit.jobs().submit(Ledgers.class,
          List.of(server.jdbcUrl(), "3600000")));
      // Once the slot (and its exported snapshot) exists, hold the snapshot at the second
      // table: the lock has a transaction id, which the slot's creation would wait for.
      while (!slotExists() && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      s.execute("LOCK TABLE second IN ACCESS EXCLUSIVE MODE");
      while (SEEN.get() < 20_000 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      String savepoint = StreamTestKit.await(kit.jobs().savepoint(first.jobId(), true));
      StreamTestKit.await(kit.jobs().awaitTermination(first.jobId(), Duration.ofSeconds(60)));
      writing.set(false);
      onFirst.join();
      lock.rollback();
      writing.set(true);
      Thread onBoth = writer(seed + 1, List.of("first", "second"), 200_000, writing, commits);
      onBoth.start();
      Thread.sleep(200); // changes while no job runs
      job = StreamTestKit.await(kit.jobs().submit(Ledgers.class.getName(),
          List.of(server.jdbcUrl(), "100"), new SubmitOptions(savepoint, null)));
      while (SEEN.get() < 23_000 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      writing.set(false);
      onBoth.join();
    }
    Map<String, Integer> expected = tables();
    Map<String, Integer> model = new HashMap<>();
    List<String> violations = new ArrayList<>();
    Set<String> read = new HashSet<>();
    int applied = 0;
    while (!model.equals(expected) && System.nanoTime() < deadline) {
      List<String> committed = CommittingSink.committed("ledgers");
      for (; applied < committed.size(); applied++) {
        String[] f = committed.get(applied).split(":", -1);
        String oldKey = f[1] + ":" + f[2];
        String key = f[1] + ":" + f[3];
        switch (f[0]) {
          case "r", "c" -> {
            if (f[0].equals("r") && !read.add(key)) {
              violations.add("read twice: " + key);
            }
            if (model.put(key, Integer.parseInt(f[4])) != null) {
              violations.add("seen already: " + committed.get(applied));
            }
          }
          case "u" -> {
            if (model.remove(oldKey) == null) {
              violations.add("update of a row never seen: " + committed.get(applied));
            }
            if (model.put(key, Integer.parseInt(f[4])) != null) {
              violations.add("update onto a row seen: " + committed.get(applied));
            }
          }
          case "d" -> {
            if (model.remove(key) == null) {
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
    assertEquals(expected.size(), model.size(), "seed " + seed + " " + status.summary()
        + " seen " + SEEN.get() + " committed " + CommittingSink.committed("ledgers").size()
        + " " + kit.weir().metrics().getMeters().stream().filter(m -> m.getId().getName()
            .startsWith("weir.cdc")).map(m -> m.getId().getName() + m.getId().getTags() + "="
            + m.measure().iterator().next().getValue()).toList());
    assertEquals(expected, model, "seed " + seed + " " + status.summary());
    assertTrue(commits.get() > 100, "the writers wrote during the snapshot");
    assertEquals(1.0, kit.weir().metrics().get("weir.cdc.snapshot.resumed").counter().count(),
        "the second job resumed the snapshot rather than starting it again");
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }
}
