package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A snapshot interrupted after a checkpoint resumes after the last row emitted: every row comes
 * once, and no change committed while it ran (before the interruption, between the two readers,
 * during the resumed read) is lost or repeated.
 */
class PostgresSnapshotResumeTest {
  private static PostgresServer server;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.logical();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** Applies change events to a model of the tables, counting what cannot happen. */
  static final class Model {
    final Map<String, Map<Object, Map<String, Object>>> tables = new HashMap<>();
    final Map<String, Integer> reads = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    private final Map<String, String> keyColumns;
    private int applied;

    Model(Map<String, String> keyColumns) {
      this.keyColumns = keyColumns;
    }

    void applyNew(List<ChangeEvent> events) {
      for (; applied < events.size(); applied++) {
        apply(events.get(applied));
      }
    }

    /** The next events come from another reader's list. */
    void nextReader() {
      applied = 0;
    }

    void apply(ChangeEvent e) {
      String table = e.source().table();
      String key = keyColumns.get(table);
      Map<Object, Map<String, Object>> rows = tables.computeIfAbsent(table, t -> new HashMap<>());
      switch (e.op()) {
        case READ -> {
          String id = table + "/" + e.after().get(key);
          if (reads.merge(id, 1, Integer::sum) > 1) {
            violations.add("read twice: " + id);
          }
          if (rows.put(e.after().get(key), e.after()) != null) {
            violations.add("read of a row already there: " + id);
          }
        }
        case CREATE -> {
          if (rows.put(e.after().get(key), e.after()) != null) {
            violations.add("insert of a row already there: " + e);
          }
        }
        case UPDATE -> {
          Object oldKey = e.before() == null ? e.after().get(key) : e.before().get(key);
          if (rows.remove(oldKey) == null) {
            violations.add("update of a row never seen: " + e);
          }
          if (rows.put(e.after().get(key), e.after()) != null) {
            violations.add("update onto a row already there: " + e);
          }
        }
        case DELETE -> {
          if (rows.remove(e.before().get(key)) == null) {
            violations.add("delete of a row never seen: " + e);
          }
        }
        default -> violations.add("unexpected " + e);
      }
    }
  }

  private static String diff(Map<Object, Map<String, Object>> expected,
      Map<Object, Map<String, Object>> actual) {
    StringBuilder out = new StringBuilder();
    for (Object key : expected.keySet()) {
      if (!expected.get(key).equals(actual.get(key))) {
        out.append("\n  expected ").append(expected.get(key)).append(" got ")
            .append(actual.get(key));
      }
    }
    for (Object key : actual.keySet()) {
      if (!expected.containsKey(key)) {
        out.append("\n  unexpected ").append(actual.get(key));
      }
    }
    return out.toString();
  }

  private static Map<Object, Map<String, Object>> table(String name, String key)
      throws Exception {
    Map<Object, Map<String, Object>> rows = new HashMap<>();
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + name)) {
      while (r.next()) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
          row.put(r.getMetaData().getColumnName(i), r.getObject(i));
        }
        rows.put(row.get(key), row);
      }
    }
    return rows;
  }

  /** Random inserts, updates (some moving keys), deletes on both tables, in transactions. */
  private static final class Writer extends Thread {
    final AtomicBoolean writing = new AtomicBoolean(true);
    final AtomicInteger commits = new AtomicInteger();
    private final Random random;
    private int nextId;

    Writer(long seed, int idBase) {
      random = new Random(seed);
      nextId = idBase;
    }

    void batch(Statement s) throws Exception {
      for (int i = 0; i < 4; i++) {
        int id = 1 + random.nextInt(3000);
        String tag = "t" + (1 + random.nextInt(600));
        switch (random.nextInt(7)) {
          case 0 -> s.execute("INSERT INTO accounts VALUES (" + nextId++ + ", 1)");
          case 1, 2 -> s.execute("UPDATE accounts SET balance = balance + 1 WHERE id = " + id);
          case 3 -> s.execute("DELETE FROM accounts WHERE id = " + id);
          case 4 -> s.execute("UPDATE accounts SET id = " + nextId++ + " WHERE id = " + id);
          case 5 -> s.execute("UPDATE tags SET n = n + 1 WHERE name = '" + tag + "'");
          default -> s.execute("UPDATE tags SET name = name || 'x' WHERE name = '" + tag + "'");
        }
      }
    }

    @Override
    public void run() {
      try (Connection c = server.connect()) {
        c.setAutoCommit(false);
        while (writing.get()) {
          try (Statement s = c.createStatement()) {
            batch(s);
          }
          c.commit();
          commits.incrementAndGet();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    void stopWriting() throws InterruptedException {
      writing.set(false);
      join();
    }
  }

  @Test
  void aSnapshotInterruptedAfterACheckpointResumesWithEveryRowOnceAndNoChangeLost()
      throws Exception {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    server.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)",
        "INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 3000) g",
        "CREATE TABLE tags (name text PRIMARY KEY, n int NOT NULL)",
        "INSERT INTO tags SELECT 't' || g, 0 FROM generate_series(1, 600) g");
    PostgresCdcSettings settings = server.source("resume_snap", "accounts", "tags")
        .snapshotChunkSize(64).queueCapacity(16).build().settings();
    Map<String, String> keys = Map.of("accounts", "id", "tags", "name");
    Model model = new Model(keys);
    MeterRegistry metrics = new SimpleMeterRegistry();
    Writer during = new Writer(seed, 100_000);
    PgSplit checkpointed;
    List<ChangeEvent> first;
    during.start();
    try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("resume_snap"),
        metrics)) {
      reader.pollCount(1500);
      checkpointed = reader.reader.snapshotState(1).get(0);
      first = List.copyOf(reader.events);
    }
    during.stopWriting();
    assertNotNull(checkpointed.snapshot(), "checkpoint taken during the snapshot");
    assertEquals((long) first.size(), checkpointed.snapshot().rows().get(0));
    model.applyNew(first);
    model.nextReader();
    // Changes committed while no reader runs, then while the resumed one reads.
    Writer between = new Writer(seed + 1, 200_000);
    try (Connection c = server.connect(); Statement s = c.createStatement()) {
      for (int i = 0; i < 50; i++) {
        between.batch(s);
      }
    }
    Writer after = new Writer(seed + 2, 300_000);
    after.start();
    try (ReaderHarness reader = new ReaderHarness(settings, checkpointed, metrics)) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(60));
      after.stopWriting();
      assertTrue(after.commits.get() > 0, "changes committed during the resumed snapshot");
      Map<Object, Map<String, Object>> accounts = table("accounts", "id");
      Map<Object, Map<String, Object>> tags = table("tags", "name");
      try {
        reader.pollUntil(events -> {
          model.applyNew(events);
          return accounts.equals(model.tables.get("accounts"))
              && tags.equals(model.tables.get("tags"));
        }, Duration.ofSeconds(20));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " split " + checkpointed + " ops "
            + reader.events.stream().collect(java.util.stream.Collectors.groupingBy(
                x -> x.op() + "/" + x.source().table() + "/" + x.source().snapshot(),
                java.util.stream.Collectors.counting()))
            + " violations " + model.violations.size() + " " + model.violations.subList(0, Math.min(8, model.violations.size()))
            + "\naccounts: " + diff(accounts, model.tables.get("accounts"))
            + "\ntags: " + diff(tags, model.tables.get("tags")), e);
      }
      assertEquals(List.of(), model.violations, "seed " + seed);
      assertTrue(reader.events.stream().anyMatch(e -> e.op() == Operation.READ));
      assertTrue(reader.events.stream().noneMatch(e -> e.op() == Operation.READ
          && e.source().lsn() == first.get(0).source().lsn()), "a new database snapshot");
      assertEquals(1.0, metrics.get("weir.cdc.snapshot.resumed").counter().count());
      assertEquals(2.0, metrics.get("weir.cdc.snapshot.tables.done").gauge().value());
      assertEquals(0.0, metrics.get("weir.cdc.snapshot.running").gauge().value());
      assertTrue(reader.reader.currentSplit().segments().isEmpty() || reader.reader
          .currentSplit().resumeLsn() < reader.reader.currentSplit().segmentsEnd());
    }
  }

  @Test
  void aTableWithoutPrimaryKeyIsOneChunkReadAgainWholeOnResume() throws Exception {
    server.execute("CREATE TABLE keyless (v int)",
        "INSERT INTO keyless SELECT g FROM generate_series(1, 300) g",
        "CREATE TABLE keyed (id int PRIMARY KEY)",
        "INSERT INTO keyed SELECT g FROM generate_series(1, 100) g");
    PostgresCdcSettings settings = server.source("keyless_snap", "keyed", "keyless")
        .snapshotChunkSize(32).queueCapacity(8).build().settings();
    MeterRegistry metrics = new SimpleMeterRegistry();
    PgSplit checkpointed;
    try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("keyless_snap"),
        metrics)) {
      reader.pollCount(200);
      checkpointed = reader.reader.snapshotState(1).get(0);
    }
    assertEquals(1, checkpointed.snapshot().table());
    assertNull(checkpointed.snapshot().afterKey(), "no key to resume after");
    try (ReaderHarness reader = new ReaderHarness(settings, checkpointed, metrics)) {
      List<ChangeEvent> events = reader.pollUntil(
          e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      assertEquals(300, events.size(), "the keyless table is read again, whole");
      assertEquals(300, events.stream().map(e -> e.after().get("v")).distinct().count());
      assertEquals(1.0, metrics.get("weir.cdc.snapshot.chunks").tag("table", "public.keyless")
          .gauge().value());
      assertEquals(4.0, metrics.get("weir.cdc.snapshot.chunks").tag("table", "public.keyed")
          .gauge().value());
      assertEquals(100.0, metrics.get("weir.cdc.snapshot.rows").tag("table", "public.keyed")
          .gauge().value());
    }
  }

  @Test
  void aResumedInitialOnlySnapshotEndsWithTheTablesAsOfItsLastSegment() throws Exception {
    server.execute("CREATE TABLE bounded (id int PRIMARY KEY, n int NOT NULL)",
        "INSERT INTO bounded SELECT g, 0 FROM generate_series(1, 1000) g");
    PostgresCdcSettings settings = server.source("bounded_snap", "bounded")
        .snapshotMode(SnapshotMode.INITIAL_ONLY).snapshotChunkSize(50).queueCapacity(8)
        .build().settings();
    Model model = new Model(Map.of("bounded", "id"));
    PgSplit checkpointed;
    try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("bounded_snap"))) {
      reader.pollCount(400);
      checkpointed = reader.reader.snapshotState(1).get(0);
      model.applyNew(reader.events);
    }
    model.nextReader();
    server.execute("UPDATE bounded SET n = 1 WHERE id % 10 = 0", // both halves
        "DELETE FROM bounded WHERE id % 7 = 0", "INSERT INTO bounded VALUES (5000, 5)");
    Map<Object, Map<String, Object>> expected = table("bounded", "id");
    try (ReaderHarness reader = new ReaderHarness(settings, checkpointed)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      boolean ended = false;
      while (!ended && System.nanoTime() < deadline) {
        ended = reader.pollOnce();
      }
      assertTrue(ended, "the bounded snapshot ended");
      model.applyNew(reader.events);
      assertEquals(List.of(), model.violations);
      assertEquals(expected, model.tables.get("bounded"));
    }
    try (Connection c = server.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM pg_replication_slots"
            + " WHERE slot_name LIKE 'bounded_snap%'")) {
      r.next();
      assertEquals(0, r.getInt(1), "the slot and the temporary one are gone");
    }
  }
}
