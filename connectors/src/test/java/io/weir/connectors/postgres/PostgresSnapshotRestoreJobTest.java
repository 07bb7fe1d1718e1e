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

  /**
   * args: jdbc URL, checkpoint interval ms, name (the slot, the sink, and the prefix of the
   * tables {@code <name>_a} and {@code <name>_b}, snapshotted and streamed).
   */
  public static final class Ledgers implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      String name = args.get(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(
          Long.parseLong(args.get(1)))));
      job.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(200)));
      job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user("postgres")
              .password("postgres").slotName(name).publicationName(name)
              .tables(List.of(name + "_a", name + "_b")).snapshotChunkSize(64)
              .queueCapacity(32).build(), "Postgres CDC")
          .map(event -> {
            SEEN.incrementAndGet();
            Map<String, Object> row = event.after() != null ? event.after() : event.before();
            Object oldId = event.before() == null ? row.get("id") : event.before().get("id");
            return event.op().code() + ":" + event.source().table() + ":" + oldId + ":"
                + row.get("id") + ":"
                + (event.after() == null ? "" : event.after().get("balance"));
          }).name("Describe")
          .sinkTo(new CommittingSink(name));
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
          int id = 1 + random.nextInt(t.endsWith("_a") ? 20_000 : 2000);
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

  private static boolean slotExists(String name) throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery(
            "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + name + "'")) {
      r.next();
      return r.getInt(1) > 0;
    }
  }

  private static Map<String, Integer> tables(String name) throws Exception {
    Map<String, Integer> rows = new HashMap<>();
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT '" + name + "_a', id, balance FROM " + name + "_a"
            + " UNION ALL SELECT '" + name + "_b', id, balance FROM " + name + "_b")) {
      while (r.next()) {
        rows.put(r.getString(1) + ":" + r.getInt(2), r.getInt(3));
      }
    }
    return rows;
  }

  /** Tables {@code <name>_a} (20,000 rows) and {@code <name>_b} (2,000) and a publication. */
  private static void createTables(String name) throws Exception {
    server.execute("CREATE TABLE " + name + "_a (id int PRIMARY KEY, balance int NOT NULL)",
        "INSERT INTO " + name + "_a SELECT g, 0 FROM generate_series(1, 20000) g",
        "CREATE TABLE " + name + "_b (id int PRIMARY KEY, balance int NOT NULL)",
        "INSERT INTO " + name + "_b SELECT g, 0 FROM generate_series(1, 2000) g",
        // Created now: creating it under the lock taken later would wait for the lock.
        "CREATE PUBLICATION " + name + " FOR TABLE " + name + "_a, " + name + "_b");
  }

  /**
   * Once the slot (and its exported snapshot) exists, holds the snapshot at the second table
   * with a lock in {@code lock}'s open transaction (it has a transaction id, which the slot's
   * creation would wait for), and waits until the snapshot's query of the second table waits for
   * that lock and every row read before it went through the job. (Not "until 20,000 rows came":
   * the first table's row count at the snapshot depends on the writer, and its last row is held
   * back until the next row is read, so such a count may never come.)
   */
  private static void holdSnapshotAtSecondTable(String name, Statement lock, long deadline)
      throws Exception {
    while (!slotExists(name)) {
      before(deadline, "the slot " + name + " exists");
      Thread.sleep(2);
    }
    lock.execute("LOCK TABLE " + name + "_b IN ACCESS EXCLUSIVE MODE");
    while (!waitsForLock(name)) {
      before(deadline, "the snapshot waits for the lock on " + name + "_b (seen " + SEEN.get()
          + ")");
      Thread.sleep(20);
    }
    long seen = -1;
    while (seen != SEEN.get()) { // the rows read before the lock reached the sink
      before(deadline, "the job took every row read before the lock");
      seen = SEEN.get();
      Thread.sleep(500);
    }
  }

  /** Whether the reader's snapshot query waits for a lock. */
  private static boolean waitsForLock(String name) throws Exception {
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
            + " WHERE application_name = 'weir-cdc-" + name + "'"
            + " AND backend_type = 'client backend' AND wait_event_type = 'Lock'")) {
      r.next();
      return r.getInt(1) > 0;
    }
  }

  /** Fails the test, saying what did not happen, once {@code deadline} passed. */
  private static void before(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new AssertionError("timed out waiting until " + what);
    }
  }

  /** A deadline {@code seconds} from now, for one phase of a test. */
  private static long deadline(int seconds) {
    return System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
  }

  @Test
  void aJobStartedFromASavepointInTheMiddleOfItsSnapshotDeliversEveryRowAndChangeOnce()
      throws Exception {
    String name = "saved";
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    SEEN.set(0);
    createTables(name);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger commits = new AtomicInteger();
    JobStatus job;
    try (Connection lock = server.connect(); Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      Thread onFirst = writer(seed, List.of(name + "_a"), 100_000, writing, commits);
      onFirst.start();
      JobStatus first = StreamTestKit.await(kit.jobs().submit(Ledgers.class,
          List.of(server.jdbcUrl(), "3600000", name)));
      holdSnapshotAtSecondTable(name, s, deadline(90));
      String savepoint = StreamTestKit.await(kit.jobs().savepoint(first.jobId(), true));
      StreamTestKit.await(kit.jobs().awaitTermination(first.jobId(), Duration.ofSeconds(60)));
      writing.set(false);
      onFirst.join();
      lock.rollback();
      writing.set(true);
      Thread onBoth = writer(seed + 1, List.of(name + "_a", name + "_b"), 200_000, writing,
          commits);
      onBoth.start();
      Thread.sleep(200); // changes while no job runs
      job = StreamTestKit.await(kit.jobs().submit(Ledgers.class.getName(),
          List.of(server.jdbcUrl(), "100", name), new SubmitOptions(savepoint, null)));
      writeWhileTheJobRuns(commits, deadline(90));
      writing.set(false);
      onBoth.join();
    }
    verify(name, seed, deadline(90), job, commits);
  }

  @Test
  void aJobWhoseSnapshotConnectionDiesIsRestoredFromACheckpointAndResumesTheSnapshot()
      throws Exception {
    String name = "killed";
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    SEEN.set(0);
    createTables(name);
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger commits = new AtomicInteger();
    JobStatus job;
    try (Connection lock = server.connect(); Statement s = lock.createStatement()) {
      lock.setAutoCommit(false);
      Thread onFirst = writer(seed, List.of(name + "_a"), 100_000, writing, commits);
      onFirst.start();
      job = StreamTestKit.await(kit.jobs().submit(Ledgers.class,
          List.of(server.jdbcUrl(), "100", name)));
      long deadline = deadline(90);
      holdSnapshotAtSecondTable(name, s, deadline);
      while (CommittingSink.committed(name).size() < SEEN.get()) {
        before(deadline, "a checkpoint holding the position at the second table completed ("
            + CommittingSink.committed(name).size() + " of " + SEEN.get() + " committed)");
        Thread.sleep(20);
      }
      Thread.sleep(300);
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE application_name = 'weir-cdc-" + name + "'"
          + " AND backend_type = 'client backend'");
      lock.rollback();
      Thread onBoth = writer(seed + 1, List.of(name + "_a", name + "_b"), 200_000, writing,
          commits);
      onBoth.start();
      deadline = deadline(90);
      while (StreamTestKit.await(kit.jobs().status(job.jobId())).restarts() < 1) {
        before(deadline, "the job restarted: " + StreamTestKit.await(
            kit.jobs().status(job.jobId())).summary());
        Thread.sleep(20);
      }
      writeWhileTheJobRuns(commits, deadline(90));
      writing.set(false);
      onFirst.join();
      onBoth.join();
    }
    verify(name, seed, deadline(90), job, commits);
  }

  /** Lets the writers commit a few hundred more changes while the (restored) job runs. */
  private static void writeWhileTheJobRuns(AtomicInteger commits, long deadline)
      throws InterruptedException {
    int from = commits.get();
    while (commits.get() < from + 300) {
      before(deadline, "the writers committed 300 changes (" + (commits.get() - from) + ")");
      Thread.sleep(20);
    }
  }

  /** Where the CDC workers are, for a failure's message. */
  private static String cdcThreads() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().startsWith("weir-cdc")) {
        out.append(thread.getName()).append(' ').append(thread.getState()).append('\n');
        for (StackTraceElement frame : stack) {
          if (frame.getClassName().startsWith("io.weir")) {
            out.append("  at ").append(frame).append('\n');
          }
        }
      }
    });
    return out.toString();
  }

  private static void verify(String name, long seed, long deadline, JobStatus job,
      AtomicInteger commits) throws Exception {
    Map<String, Integer> expected = tables(name);
    Map<String, Integer> model = new HashMap<>();
    List<String> violations = new ArrayList<>();
    Set<String> read = new HashSet<>();
    int applied = 0;
    while (!model.equals(expected) && System.nanoTime() < deadline) {
      List<String> committed = CommittingSink.committed(name);
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
        + " seen " + SEEN.get() + " committed " + CommittingSink.committed(name).size()
        + " " + kit.weir().metrics().getMeters().stream().filter(m -> m.getId().getName()
            .startsWith("weir.cdc")).map(m -> m.getId().getName() + m.getId().getTags() + "="
            + m.measure().iterator().next().getValue()).toList() + "\n" + cdcThreads());
    assertEquals(expected, model, "seed " + seed + " " + status.summary());
    assertTrue(commits.get() > 100, "the writers wrote during the snapshot");
    assertEquals(1.0, kit.weir().metrics().get("weir.cdc.snapshot.resumed").tag("slot", name)
        .counter().count(),
        "the second job resumed the snapshot rather than starting it again");
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }
}
