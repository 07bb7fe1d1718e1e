package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.connectors.postgres.ChangeEvent.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Streaming of in-progress transactions (pgoutput protocol 2) against a real PostgreSQL whose
 * {@code logical_decoding_work_mem} is 64 kB, so that a transaction of a few thousand rows is
 * sent while in progress. The events must be those of the same transaction unstreamed.
 */
class PostgresStreamingTest {
  private static final int BIG = 3000;
  private static PostgresServer server;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.logicalWith("logical_decoding_work_mem", "64kB");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aStreamedTransactionGivesTheEventsOfTheUnstreamedOne() throws Exception {
    server.execute("CREATE TABLE model_a (id int PRIMARY KEY, pad text)",
        "CREATE TABLE model_b (id int PRIMARY KEY, note text)");
    // The model reads the same changes without streaming; the streamed reader spills most of
    // the transaction to its file (4 kB in memory).
    PostgresCdcSettings plain = server.source("model_plain", "model_a", "model_b")
        .snapshotMode(SnapshotMode.NEVER).provideTransactionMetadata(true).build().settings();
    PostgresCdcSettings streamed = server.source("model_streamed", "model_a", "model_b")
        .snapshotMode(SnapshotMode.NEVER).provideTransactionMetadata(true).streaming(true)
        .streamingMemoryBytes(4096).build().settings();
    try (ReaderHarness model = new ReaderHarness(plain, PgSplit.fresh("model_plain"));
        ReaderHarness reader = new ReaderHarness(streamed, PgSplit.fresh("model_streamed"))) {
      model.pollUntil(e -> model.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(),
          Duration.ofSeconds(30));
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO model_b VALUES (0, 'before')");
        c.setAutoCommit(false);
        s.execute("INSERT INTO model_a SELECT g, repeat('x', 100) || g FROM generate_series(1, "
            + BIG + ") g");
        s.execute("INSERT INTO model_b VALUES (1, 'inside')");
        s.execute("UPDATE model_a SET pad = 'updated' WHERE id % 6 = 0");
        s.execute("DELETE FROM model_a WHERE id % 10 = 0");
        s.execute("ALTER TABLE model_b ADD COLUMN extra int DEFAULT 7");
        s.execute("INSERT INTO model_b VALUES (2, 'after ddl', 8)");
        c.commit();
        c.setAutoCommit(true);
        s.execute("INSERT INTO model_b VALUES (3, 'after', 9)");
      }
      // 1 + 2 framed (BEGIN, END) for the small ones; the big one has BEGIN, changes, END.
      int changes = BIG + 1 + BIG / 6 + BIG / 10 + 1;
      int expected = 3 + (changes + 2) + 3;
      List<ChangeEvent> want = model.pollCount(expected);
      List<ChangeEvent> got = reader.pollCount(expected);
      assertEquals(expected, want.size());
      assertEquals(want.size(), got.size());
      for (int i = 0; i < want.size(); i++) {
        assertEquals(comparable(want.get(i)), comparable(got.get(i)), "event " + i);
      }
      ChangeEvent end = got.get(3 + changes + 1);
      assertEquals(Operation.END, end.op());
      assertEquals(changes, end.transaction().eventCount());
      assertEquals(8, got.get(got.size() - 3 - 2).after().get("extra"));
      long streamedTxns = awaitStreamedTransactions("model_streamed");
      assertTrue(streamedTxns >= 1, "the server streamed the big transaction");
      assertEquals(0, streamedTransactions("model_plain"));
    }
  }

  @Test
  void aRolledBackStreamedTransactionEmitsNothing() throws Exception {
    server.execute("CREATE TABLE rolled (id int PRIMARY KEY, pad text)");
    try (ReaderHarness reader = new ReaderHarness(streaming("rolled_slot", "rolled"),
        PgSplit.fresh("rolled_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(),
          Duration.ofSeconds(30));
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute(bigInsert("rolled", 1, BIG));
        // Decoded while in progress, so streamed (PostgreSQL 17+ does not stream a
        // transaction it already knows aborted).
        awaitDecodedPast("rolled_slot", currentLsn(s));
        c.rollback();
        // The same keys again, committed: only these come out.
        s.execute(bigInsert("rolled", 1, BIG));
        c.commit();
        c.setAutoCommit(true);
        s.execute("INSERT INTO rolled VALUES (-1, 'kept')");
      }
      reader.pollCount(BIG + 1);
      drain(reader);
      List<Integer> want = new ArrayList<>(IntStream.rangeClosed(1, BIG).boxed().toList());
      want.add(-1);
      assertEquals(want, ids(reader.events));
      assertTrue(reader.events.subList(0, BIG).stream().allMatch(e -> e.after().get("pad")
          .toString().startsWith("x")));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (streamedTransactions("rolled_slot") < 2) {
        assertTrue(System.nanoTime() < deadline, "both big transactions streamed, counted "
            + streamedTransactions("rolled_slot"));
        reader.pollOnce();
      }
      // Nothing of the aborted transaction is held: a checkpoint confirms its position.
      long resume = reader.reader.snapshotState(1).get(0).resumeLsn();
      reader.reader.notifyCheckpointComplete(1);
      while (sentFlush("rolled_slot") < resume) {
        assertTrue(System.nanoTime() < deadline, "the checkpoint was not confirmed");
        reader.pollOnce();
      }
    }
  }

  @Test
  void aSavepointRolledBackInsideAStreamedTransactionDropsOnlyItsRows() throws Exception {
    server.execute("CREATE TABLE saved (id int PRIMARY KEY, pad text)");
    try (ReaderHarness reader = new ReaderHarness(streaming("saved_slot", "saved"),
        PgSplit.fresh("saved_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(),
          Duration.ofSeconds(30));
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute(bigInsert("saved", 1, 2000));
        s.execute("SAVEPOINT dropped");
        s.execute(bigInsert("saved", 2001, 4000));
        awaitDecodedPast("saved_slot", currentLsn(s)); // both parts streamed before the rollback
        s.execute("ROLLBACK TO SAVEPOINT dropped");
        s.execute("SAVEPOINT kept");
        s.execute(bigInsert("saved", 4001, 5000));
        s.execute("RELEASE SAVEPOINT kept");
        s.execute(bigInsert("saved", 5001, 6000));
        c.commit();
      }
      reader.pollCount(4000);
      drain(reader);
      List<Integer> want = new ArrayList<>(IntStream.rangeClosed(1, 2000).boxed().toList());
      want.addAll(IntStream.rangeClosed(4001, 6000).boxed().toList());
      assertEquals(want, ids(reader.events));
      assertTrue(awaitStreamedTransactions("saved_slot") >= 1);
    }
  }

  @Test
  void interleavedTransactionsComeOutInCommitOrder() throws Exception {
    server.execute("CREATE TABLE inter (id int PRIMARY KEY, pad text)");
    try (ReaderHarness reader = new ReaderHarness(streaming("inter_slot", "inter"),
        PgSplit.fresh("inter_slot"));
        Connection big = server.connect(); Statement bigSql = big.createStatement()) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(),
          Duration.ofSeconds(30));
      big.setAutoCommit(false);
      bigSql.execute(bigInsert("inter", 1, BIG));
      server.execute("INSERT INTO inter VALUES (-1, 'small, committed first')");
      bigSql.execute(bigInsert("inter", BIG + 1, BIG + 10));
      big.commit();
      server.execute("INSERT INTO inter VALUES (-2, 'small, committed last')");
      reader.pollCount(BIG + 12);
      drain(reader);
      List<Integer> want = new ArrayList<>(List.of(-1));
      want.addAll(IntStream.rangeClosed(1, BIG + 10).boxed().toList());
      want.add(-2);
      assertEquals(want, ids(reader.events));
      List<Long> lsns = reader.events.stream().map(e -> e.source().lsn()).toList();
      assertEquals(3, lsns.stream().distinct().count(), "one commit LSN per transaction");
      assertTrue(lsns.get(0) < lsns.get(1) && lsns.get(1) < lsns.get(lsns.size() - 1));
      assertTrue(awaitStreamedTransactions("inter_slot") >= 1);
    }
  }

  @Test
  void aCheckpointWhileAStreamedTransactionIsHeldResumesWithEachChangeOnce() throws Exception {
    server.execute("CREATE TABLE held (id int PRIMARY KEY, pad text)");
    PostgresCdcSettings settings = streaming("held_slot", "held");
    PgSplit checkpointed;
    long afterFirstChange;
    try (Connection big = server.connect(); Statement bigSql = big.createStatement()) {
      try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("held_slot"))) {
        reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(),
            Duration.ofSeconds(30));
        big.setAutoCommit(false);
        bigSql.execute("INSERT INTO held VALUES (1, 'first')");
        afterFirstChange = currentLsn(bigSql);
        bigSql.execute(bigInsert("held", 2, BIG));
        // A small transaction committed meanwhile moves the split's position past the start
        // of the held one.
        server.execute("INSERT INTO held VALUES (-1, 'small')");
        reader.pollCount(1);
        checkpointed = reader.reader.snapshotState(1).get(0);
        assertTrue(checkpointed.resumeLsn() > afterFirstChange, "position past the held start");
        reader.reader.notifyCheckpointComplete(1);
        // The reader's confirmation reaches the server (its walsender shows it)...
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long sentFlush;
        while ((sentFlush = sentFlush("held_slot")) == 0) {
          assertTrue(System.nanoTime() < deadline, "no confirmation reached the server");
          reader.pollOnce();
        }
        // ...held before the first change of the streamed transaction, not at the checkpoint.
        assertTrue(sentFlush < afterFirstChange, "the confirmation stays before the held"
            + " transaction: " + sentFlush + " < " + afterFirstChange);
        assertTrue(confirmedFlush("held_slot") < afterFirstChange);
        assertEquals(List.of(-1), ids(reader.events));
      }
      bigSql.execute(bigInsert("held", BIG + 1, BIG + 5));
      big.commit();
    }
    server.execute("INSERT INTO held VALUES (-2, 'after')");
    try (ReaderHarness reader = new ReaderHarness(settings, checkpointed)) {
      reader.pollCount(BIG + 6);
      drain(reader);
      List<Integer> want = new ArrayList<>(IntStream.rangeClosed(1, BIG + 5).boxed().toList());
      want.add(-2);
      assertEquals(want, ids(reader.events));
    }
  }

  @Test
  void aCheckpointWhileAStreamedTransactionIsHandedOverResumesWithEachChangeOnce()
      throws Exception {
    server.execute("CREATE TABLE handed (id int PRIMARY KEY, pad text)");
    PostgresCdcSettings settings = server.source("handed_slot", "handed")
        .snapshotMode(SnapshotMode.NEVER).streaming(true).queueCapacity(3).build().settings();
    PgSplit checkpointed;
    List<Integer> before;
    try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("handed_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(),
          Duration.ofSeconds(30));
      server.execute(bigInsert("handed", 1, BIG));
      reader.pollCount(100);
      checkpointed = reader.reader.snapshotState(1).get(0);
      before = ids(reader.events);
    }
    assertTrue(before.size() < BIG, "checkpoint inside the transaction: " + before.size());
    assertEquals(before.size(), checkpointed.partialTxEvents());
    assertTrue(awaitStreamedTransactions("handed_slot") >= 1);
    try (ReaderHarness reader = new ReaderHarness(settings, checkpointed)) {
      reader.pollCount(BIG - before.size());
      drain(reader);
      List<Integer> all = new ArrayList<>(before);
      all.addAll(ids(reader.events));
      assertEquals(IntStream.rangeClosed(1, BIG).boxed().toList(), all);
      assertEquals(checkpointed.partialTxLsn(), reader.events.get(0).source().lsn(),
          "the partial transaction is the streamed one, by its commit LSN");
    }
  }

  @Test
  void theReplicationSessionMayRaiseTheServersWorkMemoryInItsUrl() throws Exception {
    server.execute("CREATE TABLE roomy (id int PRIMARY KEY, pad text)");
    PostgresCdcSettings settings = server.source("roomy_slot", "roomy")
        .jdbcUrl(server.jdbcUrl() + "?options=-c%20logical_decoding_work_mem=8MB")
        .snapshotMode(SnapshotMode.NEVER).streaming(true).build().settings();
    try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("roomy_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(),
          Duration.ofSeconds(30));
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute(bigInsert("roomy", 1, BIG));
        c.commit();
      }
      reader.pollCount(BIG);
      assertEquals(IntStream.rangeClosed(1, BIG).boxed().toList(), ids(reader.events));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (slotStat("roomy_slot", "total_txns") == 0) {
        assertTrue(System.nanoTime() < deadline, "no statistics for the slot");
        reader.pollOnce();
      }
      assertEquals(0, slotStat("roomy_slot", "stream_txns"),
          "8 MB in the session: 450 kB are not streamed");
    }
  }

  @Test
  void streamingOffByDefault() {
    assertEquals(false, server.source("s", "t").build().settings().streaming());
  }

  private static PostgresCdcSettings streaming(String slot, String table) {
    return server.source(slot, table).snapshotMode(SnapshotMode.NEVER).streaming(true)
        .statusInterval(Duration.ofMillis(200)).build().settings();
  }

  private static String bigInsert(String table, int from, int to) {
    return "INSERT INTO " + table + " SELECT g, repeat('x', 100) || g FROM generate_series("
        + from + ", " + to + ") g";
  }

  private static List<Object> comparable(ChangeEvent e) {
    return Arrays.asList(e.op(), e.before(), e.after(), e.source(), e.transaction(),
        e.schema());
  }

  private static List<Integer> ids(List<ChangeEvent> events) {
    return events.stream().map(e -> (Integer) e.after().get("id")).toList();
  }

  /** Polls a little longer, so that an event that should not come would have. */
  private static void drain(ReaderHarness reader) throws Exception {
    for (int i = 0; i < 5; i++) {
      reader.pollOnce();
    }
  }

  private static long currentLsn(Statement s) throws Exception {
    try (ResultSet row = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
      row.next();
      return LogSequenceNumber.valueOf(row.getString(1)).asLong();
    }
  }

  private static long confirmedFlush(String slot) throws Exception {
    try (Connection c = server.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
      s.setString(1, slot);
      try (ResultSet row = s.executeQuery()) {
        row.next();
        return LogSequenceNumber.valueOf(row.getString(1)).asLong();
      }
    }
  }

  /** Waits until the slot's walsender decoded the WAL up to {@code lsn}. */
  private static void awaitDecodedPast(String slot, long lsn) throws Exception {
    // A commit elsewhere flushes the open transaction's WAL, which the walsender reads only
    // once flushed.
    server.execute("CREATE TABLE IF NOT EXISTS wal_flush (n int)",
        "INSERT INTO wal_flush VALUES (1)");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try (Connection c = server.connect(); PreparedStatement s = c.prepareStatement(
          "SELECT r.sent_lsn::text FROM pg_stat_replication r JOIN pg_replication_slots s"
              + " ON s.active_pid = r.pid WHERE s.slot_name = ?")) {
        s.setString(1, slot);
        try (ResultSet row = s.executeQuery()) {
          String sent = row.next() ? row.getString(1) : null;
          if (sent != null && LogSequenceNumber.valueOf(sent).asLong() >= lsn) {
            return;
          }
        }
      }
      assertTrue(System.nanoTime() < deadline, "the walsender did not decode past " + lsn);
      Thread.sleep(50);
    }
  }

  /** The flush position the slot's client last reported to its walsender, 0 for none. */
  private static long sentFlush(String slot) throws Exception {
    try (Connection c = server.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT r.flush_lsn::text FROM pg_stat_replication r JOIN pg_replication_slots s"
            + " ON s.active_pid = r.pid WHERE s.slot_name = ?")) {
      s.setString(1, slot);
      try (ResultSet row = s.executeQuery()) {
        String lsn = row.next() ? row.getString(1) : null;
        return lsn == null ? 0 : LogSequenceNumber.valueOf(lsn).asLong();
      }
    }
  }

  /** The slot's count of streamed transactions, once the server reported one (or 0). */
  private static long awaitStreamedTransactions(String slot) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long count;
    while ((count = streamedTransactions(slot)) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return count;
  }

  private static long streamedTransactions(String slot) throws Exception {
    return slotStat(slot, "stream_txns");
  }

  private static long slotStat(String slot, String column) throws Exception {
    try (Connection c = server.connect(); PreparedStatement s = c.prepareStatement(
        "SELECT " + column + " FROM pg_stat_replication_slots WHERE slot_name = ?")) {
      s.setString(1, slot);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }
}
