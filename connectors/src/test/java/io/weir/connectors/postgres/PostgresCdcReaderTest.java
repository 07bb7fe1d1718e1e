package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.connectors.postgres.ChangeEvent.Operation;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

/** The CDC reader against a real PostgreSQL with wal_level = logical. */
class PostgresCdcReaderTest {
  private static PostgresServer server;

  @BeforeAll
  static void start() throws Exception {
    server = PostgresServer.logical();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static final String TYPE_VALUES = "(%d, -3, 7, 9000000000, 12345.678, 1.5, 2.25,"
      + " true, 'héllo', 'vc', '2024-02-29', '13:04:05.12', '2024-01-02 03:04:05.000006',"
      + " '2024-01-02 03:04:05.5+05:30', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
      + " '{\"a\": [1, 2]}', '{\"b\": true}', '\\x0102ab', '{1,NULL,3}', '{\"x y\",z}',"
      + " 'happy', '{sad,happy}', '{{1,2},{3,4}}', NULL)";

  @Test
  void everyTypeArrivesTypedFromTheSnapshotAndTheStream() throws Exception {
    server.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
        "CREATE TABLE typed (id int PRIMARY KEY, s smallint, i int, b bigint, n numeric(10,3),"
            + " r real, d double precision, flag boolean, t text, v varchar(20), day date,"
            + " tod time, ts timestamp, tstz timestamptz, u uuid, j json, jb jsonb, bin bytea,"
            + " ints int[], texts text[], m mood, moods mood[], grid int[][], nothing text)",
        "INSERT INTO typed VALUES " + TYPE_VALUES.formatted(1));
    try (ReaderHarness reader = new ReaderHarness(
        server.source("typed_slot", "typed").build().settings(), PgSplit.fresh("typed_slot"))) {
      reader.pollCount(1);
      server.execute("INSERT INTO typed VALUES " + TYPE_VALUES.formatted(2));
      List<ChangeEvent> events = reader.pollCount(2);
      assertEquals(Operation.READ, events.get(0).op());
      assertEquals("last", events.get(0).source().snapshot());
      assertEquals(Operation.CREATE, events.get(1).op());
      assertEquals("false", events.get(1).source().snapshot());
      for (ChangeEvent event : events) {
        Map<String, Object> after = new LinkedHashMap<>(event.after());
        assertArrayEquals(new byte[] {1, 2, (byte) 0xab}, (byte[]) after.remove("bin"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", event.op() == Operation.READ ? 1 : 2);
        expected.put("s", (short) -3);
        expected.put("i", 7);
        expected.put("b", 9_000_000_000L);
        expected.put("n", new BigDecimal("12345.678"));
        expected.put("r", 1.5f);
        expected.put("d", 2.25);
        expected.put("flag", true);
        expected.put("t", "héllo");
        expected.put("v", "vc");
        expected.put("day", LocalDate.of(2024, 2, 29));
        expected.put("tod", LocalTime.of(13, 4, 5, 120_000_000));
        expected.put("ts", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000));
        expected.put("tstz", Instant.parse("2024-01-01T21:34:05.5Z"));
        expected.put("u", UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
        expected.put("j", "{\"a\": [1, 2]}");
        expected.put("jb", "{\"b\": true}");
        expected.put("ints", Arrays.asList(1, null, 3));
        expected.put("texts", List.of("x y", "z"));
        expected.put("m", "happy");
        expected.put("moods", List.of("sad", "happy"));
        expected.put("grid", List.of(List.of(1, 2), List.of(3, 4)));
        expected.put("nothing", null);
        assertEquals(expected, after, event.op().toString());
        assertEquals("postgres", event.source().db());
        assertEquals("public", event.source().schema());
        assertEquals("typed", event.source().table());
      }
      assertTrue(events.get(1).source().lsn() > events.get(0).source().lsn());
      assertTrue(events.get(1).source().txId() > 0);
    }
  }

  @Test
  void beforeImagesFollowTheReplicaIdentity() throws Exception {
    server.execute("CREATE TABLE rid_default (id int PRIMARY KEY, name text, qty int)",
        "CREATE TABLE rid_full (id int PRIMARY KEY, name text, qty int)",
        "ALTER TABLE rid_full REPLICA IDENTITY FULL");
    try (ReaderHarness reader = new ReaderHarness(server.source("rid_slot", "rid_default",
        "public.rid_full").build().settings(), PgSplit.fresh("rid_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      for (String table : List.of("rid_default", "rid_full")) {
        server.execute("INSERT INTO " + table + " VALUES (1, 'a', 1)",
            "UPDATE " + table + " SET qty = 2",
            "UPDATE " + table + " SET id = 2",
            "DELETE FROM " + table);
      }
      List<ChangeEvent> events = reader.pollCount(8);
      assertEquals(List.of("c", "u", "u", "d", "c", "u", "u", "d"),
          events.stream().map(e -> e.op().code()).toList());
      // DEFAULT: no before unless the key changed, then only the key.
      assertNull(events.get(1).before());
      assertEquals(row(1, null, null), events.get(2).before());
      assertEquals(row(2, "a", 2), events.get(2).after());
      assertEquals(row(2, null, null), events.get(3).before());
      assertNull(events.get(3).after());
      // FULL: the whole old row every time.
      assertEquals(row(1, "a", 1), events.get(5).before());
      assertEquals(row(1, "a", 2), events.get(6).before());
      assertEquals(row(2, "a", 2), events.get(7).before());
      assertEquals("rid_full", events.get(7).source().table());
    }
  }

  private static Map<String, Object> row(Integer id, String name, Integer qty) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("name", name);
    row.put("qty", qty);
    return row;
  }

  @Test
  void anUnchangedToastedColumnIsMarkedUnavailableNeverNull() throws Exception {
    server.execute("CREATE TABLE docs (id int PRIMARY KEY, body text, n int)",
        "ALTER TABLE docs ALTER body SET STORAGE EXTERNAL",
        "CREATE TABLE docs_full (id int PRIMARY KEY, body text, n int)",
        "ALTER TABLE docs_full ALTER body SET STORAGE EXTERNAL",
        "ALTER TABLE docs_full REPLICA IDENTITY FULL");
    String big = "(SELECT string_agg(md5(g::text), '') FROM generate_series(1, 400) g)";
    try (ReaderHarness reader = new ReaderHarness(server.source("toast_slot", "docs",
        "docs_full").build().settings(), PgSplit.fresh("toast_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      server.execute("INSERT INTO docs VALUES (1, " + big + ", 1)",
          "UPDATE docs SET n = 2", "UPDATE docs SET n = 3, body = 'small'",
          "INSERT INTO docs_full VALUES (1, " + big + ", 1)", "UPDATE docs_full SET n = 2");
      List<ChangeEvent> events = reader.pollCount(5);
      assertEquals(12_800, ((String) events.get(0).after().get("body")).length());
      assertEquals(Unavailable.VALUE, events.get(1).after().get("body"));
      assertEquals(2, events.get(1).after().get("n"));
      assertEquals("small", events.get(2).after().get("body"));
      assertEquals(events.get(3).after().get("body"), events.get(4).after().get("body"),
          "under FULL the old row fills the unchanged value in");
    }
  }

  @Test
  void aCheckpointConfirmsItsPositionAndAResumeEmitsEachChangeOnce() throws Exception {
    server.execute("CREATE TABLE resumed (id int PRIMARY KEY)");
    PostgresCdcSettings settings = server.source("resume_slot", "resumed").queueCapacity(3)
        .build().settings();
    PgSplit checkpointed;
    List<Integer> beforeCheckpoint;
    try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("resume_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      server.execute("INSERT INTO resumed SELECT g FROM generate_series(1, 10) g",
          "INSERT INTO resumed SELECT g FROM generate_series(11, 20) g");
      reader.pollCount(12);
      beforeCheckpoint = ids(reader.events);
      checkpointed = reader.reader.snapshotState(7).get(0);
      assertTrue(checkpointed.snapshotDone());
      assertTrue(beforeCheckpoint.size() < 20, "checkpoint inside the second transaction");
      assertEquals(beforeCheckpoint.size() - 10, checkpointed.partialTxEvents());
      assertTrue(confirmedFlush("resume_slot") < checkpointed.resumeLsn(),
          "nothing confirmed before the checkpoint completes");
      reader.reader.notifyCheckpointComplete(7);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (confirmedFlush("resume_slot") != checkpointed.resumeLsn()) {
        assertTrue(System.nanoTime() < deadline, "the slot's position did not advance");
        Thread.sleep(50);
      }
    }
    server.execute("INSERT INTO resumed SELECT g FROM generate_series(21, 25) g");
    try (ReaderHarness reader = new ReaderHarness(settings, checkpointed)) {
      reader.pollCount(25 - beforeCheckpoint.size());
      Thread.sleep(300);
      reader.pollOnce();
      List<Integer> all = new java.util.ArrayList<>(beforeCheckpoint);
      all.addAll(ids(reader.events));
      assertEquals(java.util.stream.IntStream.rangeClosed(1, 25).boxed().toList(), all);
    }
  }

  private static List<Integer> ids(List<ChangeEvent> events) {
    return events.stream().map(e -> (Integer) e.after().get("id")).toList();
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

  @Test
  void aSnapshotAndTheStreamMeetWithoutGapOrOverlapUnderConcurrentWrites() throws Exception {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    java.util.Random random = new java.util.Random(seed);
    server.execute("CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL)",
        "INSERT INTO accounts SELECT g, 0 FROM generate_series(1, 3000) g");
    java.util.concurrent.atomic.AtomicBoolean writing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger commits =
        new java.util.concurrent.atomic.AtomicInteger();
    Thread writer = new Thread(() -> {
      int nextId = 3001;
      try (Connection c = server.connect()) {
        c.setAutoCommit(false);
        while (writing.get()) {
          try (Statement s = c.createStatement()) {
            for (int i = 0; i < 5; i++) {
              int id = 1 + random.nextInt(nextId - 1);
              switch (random.nextInt(3)) {
                case 0 -> s.execute("INSERT INTO accounts VALUES (" + nextId++ + ", 1)");
                case 1 -> s.execute("UPDATE accounts SET balance = balance + 1 WHERE id = "
                    + id);
                default -> s.execute("DELETE FROM accounts WHERE id = " + id);
              }
            }
          }
          c.commit();
          commits.incrementAndGet();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    writer.start();
    try (ReaderHarness reader = new ReaderHarness(server.source("acc_slot", "accounts")
        .snapshotChunkSize(100).queueCapacity(50).build().settings(),
        PgSplit.fresh("acc_slot"))) {
      int commitsAtStart = commits.get();
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(60));
      assertTrue(commits.get() > commitsAtStart, "the writer committed during the snapshot");
      reader.pollUntil(e -> e.size() > 6000, Duration.ofSeconds(60));
      writing.set(false);
      writer.join();
      Map<Integer, Integer> expected = new HashMap<>();
      try (Connection c = server.connect(); Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SELECT id, balance FROM accounts")) {
        while (rows.next()) {
          expected.put(rows.getInt(1), rows.getInt(2));
        }
      }
      Map<Integer, Integer> model = new HashMap<>();
      int[] violations = {0};
      int[] applied = {0};
      reader.pollUntil(events -> {
        for (; applied[0] < events.size(); applied[0]++) {
          ChangeEvent e = events.get(applied[0]);
          switch (e.op()) {
            case READ, CREATE -> {
              Integer id = (Integer) e.after().get("id");
              if (model.put(id, (Integer) e.after().get("balance")) != null) {
                violations[0]++; // overlap: a row read twice
              }
            }
            case UPDATE -> {
              Integer id = (Integer) e.after().get("id");
              if (model.put(id, (Integer) e.after().get("balance")) == null) {
                violations[0]++; // gap: an update of a row never seen
              }
            }
            case DELETE -> {
              if (model.remove((Integer) e.before().get("id")) == null) {
                violations[0]++;
              }
            }
            default -> violations[0]++;
          }
        }
        return model.equals(expected);
      }, Duration.ofSeconds(60));
      assertEquals(0, violations[0], "seed " + seed);
      assertTrue(reader.events.stream().anyMatch(e -> e.op() == Operation.READ));
      assertTrue(reader.events.stream().anyMatch(e -> e.op() == Operation.CREATE));
    }
  }

  @Test
  void initialOnlyReadsTheSnapshotAndEnds() throws Exception {
    server.execute("CREATE TABLE once (id bigint, k text, PRIMARY KEY (k, id))",
        "INSERT INTO once SELECT g, 'k' || (g % 7) FROM generate_series(1, 250) g");
    try (ReaderHarness reader = new ReaderHarness(server.source("once_slot", "once")
        .snapshotMode(SnapshotMode.INITIAL_ONLY).snapshotChunkSize(16).build().settings(),
        PgSplit.fresh("once_slot"))) {
      while (!reader.pollOnce()) {
        // until the end
      }
      assertEquals(250, reader.events.size());
      assertEquals(250, reader.events.stream().map(e -> e.after().get("id")).distinct().count());
      assertEquals("last", reader.events.get(249).source().snapshot());
      try (Connection c = server.connect(); Statement s = c.createStatement();
          ResultSet row = s.executeQuery(
              "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'once_slot'")) {
        row.next();
        assertEquals(0, row.getInt(1), "the slot of a bounded snapshot is dropped");
      }
    }
  }

  @Test
  void aGoneSlotFailsAResumeClearlyUnlessWhenNeededSnapshotsAgain() throws Exception {
    server.execute("CREATE TABLE lost (id int PRIMARY KEY)", "INSERT INTO lost VALUES (1)");
    PgSplit resumed = new PgSplit("lost_slot", true, 0x1000, 0, 0);
    try (ReaderHarness reader = new ReaderHarness(server.source("lost_slot", "lost").build()
        .settings(), resumed)) {
      Exception failure = reader.pollFailure();
      assertInstanceOf(PostgresCdcException.SlotMissing.class, failure);
      assertTrue(failure.getMessage().contains("'lost_slot' is gone"), failure.getMessage());
    }
    try (ReaderHarness reader = new ReaderHarness(server.source("lost_slot", "lost")
        .snapshotMode(SnapshotMode.WHEN_NEEDED).build().settings(), resumed)) {
      assertEquals(Operation.READ, reader.pollCount(1).get(0).op());
    }
  }

  @Test
  void aUserWithoutReplicationRightsGetsAClearError() throws Exception {
    server.execute("CREATE TABLE guarded (id int PRIMARY KEY)",
        "CREATE ROLE plain LOGIN PASSWORD 'plain'", "GRANT SELECT ON guarded TO plain",
        "CREATE PUBLICATION guarded_slot FOR TABLE guarded");
    PostgresCdcSettings settings = server.source("guarded_slot", "guarded").user("plain")
        .password("plain").build().settings();
    try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("guarded_slot"))) {
      Exception failure = reader.pollFailure();
      assertInstanceOf(PostgresCdcException.ReplicationNotPermitted.class, failure,
          String.valueOf(failure));
      assertTrue(failure.getMessage().contains("ALTER ROLE plain WITH REPLICATION"),
          failure.getMessage());
    }
  }

  @Test
  void truncatesAreEvents() throws Exception {
    server.execute("CREATE TABLE cut (id int PRIMARY KEY)");
    try (ReaderHarness reader = new ReaderHarness(server.source("cut_slot", "cut").build()
        .settings(), PgSplit.fresh("cut_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      server.execute("INSERT INTO cut VALUES (1)", "TRUNCATE cut");
      List<ChangeEvent> events = reader.pollCount(2);
      assertEquals(Operation.TRUNCATE, events.get(1).op());
      assertNull(events.get(1).before());
      assertNull(events.get(1).after());
      assertEquals("cut", events.get(1).source().table());
    }
  }

  @Test
  void heartbeatsMoveThePositionPastWritesToOtherTables() throws Exception {
    server.execute("CREATE TABLE quiet (id int PRIMARY KEY)",
        "CREATE TABLE busy (id serial PRIMARY KEY, pad text)");
    try (ReaderHarness reader = new ReaderHarness(server.source("quiet_slot", "quiet")
        .statusInterval(Duration.ofMillis(100)).build().settings(),
        PgSplit.fresh("quiet_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      long start = reader.reader.currentSplit().resumeLsn();
      server.execute("INSERT INTO busy (pad) SELECT repeat('x', 500) FROM"
          + " generate_series(1, 20000)");
      long walEnd;
      try (Connection c = server.connect(); Statement s = c.createStatement();
          ResultSet row = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
        row.next();
        walEnd = LogSequenceNumber.valueOf(row.getString(1)).asLong();
      }
      assertTrue(walEnd - start > 5_000_000, "the busy table wrote " + (walEnd - start));
      reader.pollUntil(e -> reader.reader.currentSplit().resumeLsn() >= walEnd,
          Duration.ofSeconds(60));
      assertTrue(reader.events.isEmpty(), "no events from unpublished tables");
      long position = reader.reader.snapshotState(1).get(0).resumeLsn();
      reader.reader.notifyCheckpointComplete(1);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (confirmedFlush("quiet_slot") < position) {
        assertTrue(System.nanoTime() < deadline, "the slot did not move past the busy WAL");
        Thread.sleep(50);
      }
    }
  }

  @Test
  void aMissingTableIsNamed() throws Exception {
    try (ReaderHarness reader = new ReaderHarness(server.source("nope_slot", "public.nope")
        .build().settings(), PgSplit.fresh("nope_slot"))) {
      Exception failure = reader.pollFailure();
      assertInstanceOf(PostgresCdcException.TableMissing.class, failure);
      assertTrue(failure.getMessage().startsWith("table public.nope does not exist"),
          failure.getMessage());
    }
  }

  @Test
  void aColumnAddedWhileStreamingAppearsInLaterEvents() throws Exception {
    server.execute("CREATE TABLE grows (id int PRIMARY KEY)");
    try (ReaderHarness reader = new ReaderHarness(server.source("grows_slot", "grows").build()
        .settings(), PgSplit.fresh("grows_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      server.execute("INSERT INTO grows VALUES (1)",
          "ALTER TABLE grows ADD COLUMN label text DEFAULT 'new'",
          "INSERT INTO grows VALUES (2)", "UPDATE grows SET label = 'one' WHERE id = 1");
      List<ChangeEvent> events = reader.pollCount(3);
      assertEquals(Map.of("id", 1), events.get(0).after());
      assertEquals(Map.of("id", 2, "label", "new"), events.get(1).after());
      assertEquals(Map.of("id", 1, "label", "one"), events.get(2).after());
    }
  }

  @Test
  void transactionMetadataFramesAMultiStatementTransaction() throws Exception {
    server.execute("CREATE TABLE tx_a (id int PRIMARY KEY, v text)",
        "CREATE TABLE tx_b (id int PRIMARY KEY, v text)");
    try (ReaderHarness reader = new ReaderHarness(server.source("txmeta_slot", "tx_a", "tx_b")
        .provideTransactionMetadata(true).build().settings(), PgSplit.fresh("txmeta_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      try (Connection c = server.connect(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute("INSERT INTO tx_a VALUES (1, 'a')");
        s.execute("INSERT INTO tx_b VALUES (1, 'b')");
        s.execute("UPDATE tx_a SET v = 'a2' WHERE id = 1");
        s.execute("DELETE FROM tx_b WHERE id = 1");
        c.commit();
      }
      server.execute("INSERT INTO tx_a VALUES (2, 'alone')");
      List<ChangeEvent> events = reader.pollCount(9);
      assertEquals(List.of("BEGIN", "c", "c", "u", "d", "END", "BEGIN", "c", "END"),
          events.stream().map(e -> e.op().code()).toList());
      String id = events.get(0).transaction().id();
      assertEquals(events.get(1).source().txId() + ":" + events.get(1).source().lsn(), id);
      List<List<Long>> orders = events.subList(1, 5).stream().map(e -> {
        assertEquals(id, e.transaction().id());
        return List.of(e.transaction().totalOrder(), e.transaction().dataCollectionOrder());
      }).toList();
      assertEquals(List.of(List.of(1L, 1L), List.of(2L, 1L), List.of(3L, 2L), List.of(4L, 2L)),
          orders);
      ChangeEvent end = events.get(5);
      assertEquals(id, end.transaction().id());
      assertEquals(4, end.transaction().eventCount());
      assertEquals(Map.of("public.tx_a", 2L, "public.tx_b", 2L),
          end.transaction().dataCollections());
      assertTrue(!id.equals(events.get(6).transaction().id()));
      assertEquals(1, events.get(8).transaction().eventCount());
      String json = DebeziumJson.write(end, "shop");
      assertTrue(json.contains("\"status\":\"END\"") && json.contains("\"event_count\":4")
          && json.contains("{\"data_collection\":\"public.tx_a\",\"event_count\":2}"), json);
      String change = DebeziumJson.write(events.get(3), "shop");
      assertTrue(change.contains("\"transaction\":{\"id\":\"" + id
          + "\",\"total_order\":3,\"data_collection_order\":2}"), change);
      assertNull(events.get(1).before());
    }
  }

  @Test
  void withoutTransactionMetadataChangesCarryNone() throws Exception {
    server.execute("CREATE TABLE tx_none (id int PRIMARY KEY)");
    try (ReaderHarness reader = new ReaderHarness(server.source("txnone_slot", "tx_none")
        .build().settings(), PgSplit.fresh("txnone_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      server.execute("INSERT INTO tx_none VALUES (1)");
      List<ChangeEvent> events = reader.pollCount(1);
      assertEquals(Operation.CREATE, events.get(0).op());
      assertNull(events.get(0).transaction());
      assertTrue(!DebeziumJson.write(events.get(0), "x").contains("transaction"));
    }
  }

  @Test
  void aRetypedColumnShowsInTheSchemaOfTheNextChangeAndTypesItsValues() throws Exception {
    server.execute("CREATE TABLE widening (id int PRIMARY KEY, n int, label varchar(20))",
        "INSERT INTO widening VALUES (1, 7, 'a')");
    try (ReaderHarness reader = new ReaderHarness(server.source("widen_slot", "widening")
        .build().settings(), PgSplit.fresh("widen_slot"))) {
      reader.pollCount(1);
      server.execute("INSERT INTO widening VALUES (2, 8, 'b')",
          "ALTER TABLE widening ALTER COLUMN n TYPE bigint",
          "INSERT INTO widening VALUES (3, 9000000000, 'c')",
          "UPDATE widening SET n = n + 1 WHERE id = 2");
      List<ChangeEvent> events = reader.pollCount(4);
      TableSchema before = events.get(0).schema();
      assertEquals(List.of(new TableSchema.Column("id", "int4", 23, -1, true),
          new TableSchema.Column("n", "int4", 23, -1, false),
          new TableSchema.Column("label", "varchar", 1043, 24, false)), before.columns(),
          "the snapshot's schema");
      assertEquals(7, events.get(0).after().get("n"));
      assertEquals(before, events.get(1).schema(), "streamed before the change: as the snapshot");
      assertEquals(8, events.get(1).after().get("n"));
      TableSchema after = events.get(2).schema();
      assertEquals(new TableSchema.Column("n", "int8", 20, -1, false), after.column("n"));
      assertEquals(9_000_000_000L, events.get(2).after().get("n"));
      assertEquals(Operation.UPDATE, events.get(3).op());
      assertEquals(9L, events.get(3).after().get("n"));
      assertTrue(after == events.get(3).schema(), "one schema instance per table version");
    }
  }

  @Test
  void typesOfColumnsAddedWhileStreamingArriveTypedAndAsTheSnapshotReadsThem() throws Exception {
    server.execute("CREATE TABLE evolving (id int PRIMARY KEY)");
    Map<String, Object> streamed;
    try (ReaderHarness reader = new ReaderHarness(server.source("evolve_slot", "evolving")
        .build().settings(), PgSplit.fresh("evolve_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      server.execute("INSERT INTO evolving VALUES (1)",
          "CREATE TYPE later_mood AS ENUM ('meh', 'yay')",
          "CREATE DOMAIN price AS numeric(8,2)",
          "ALTER TABLE evolving ADD COLUMN amount numeric(12,2) DEFAULT 0,"
              + " ADD COLUMN at timestamptz, ADD COLUMN day date, ADD COLUMN tod time,"
              + " ADD COLUMN u uuid, ADD COLUMN doc jsonb, ADD COLUMN bin bytea,"
              + " ADD COLUMN nums numeric[], ADD COLUMN mood later_mood,"
              + " ADD COLUMN moods later_mood[], ADD COLUMN p price, ADD COLUMN bins bytea[],"
              + " ADD COLUMN docs jsonb[], ADD COLUMN stamps timestamptz[]",
          "INSERT INTO evolving VALUES (2, 1.5, '2024-06-01 12:00:00.123456+02', '2024-02-29',"
              + " '24:00:00', 'b1a2c3d4-0000-4000-8000-00000000000f', '{\"k\": [1, \"x\"]}',"
              + " '\\xdeadbeef', '{1.10,-2,NaN,NULL}', 'yay', '{meh,yay}', 12.3,"
              + " '{\"\\\\x01\",NULL}', ARRAY['{\"a\": \"b c\"}'::jsonb],"
              + " '{\"2024-01-01 00:00:00+00\"}')",
          "UPDATE evolving SET amount = 7 WHERE id = 1",
          "ALTER TABLE evolving ALTER COLUMN amount TYPE numeric(14,4)",
          "UPDATE evolving SET amount = amount WHERE id = 2");
      List<ChangeEvent> events = reader.pollCount(4);
      assertEquals(Map.of("id", 1), events.get(0).after());
      Map<String, Object> inserted = new LinkedHashMap<>(events.get(1).after());
      assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef},
          (byte[]) inserted.remove("bin"));
      List<?> bins = (List<?>) inserted.remove("bins");
      assertArrayEquals(new byte[] {1}, (byte[]) bins.get(0));
      assertNull(bins.get(1));
      Map<String, Object> expected = new LinkedHashMap<>();
      expected.put("id", 2);
      expected.put("amount", new BigDecimal("1.50"));
      expected.put("at", Instant.parse("2024-06-01T10:00:00.123456Z"));
      expected.put("day", LocalDate.of(2024, 2, 29));
      expected.put("tod", "24:00:00");
      expected.put("u", UUID.fromString("b1a2c3d4-0000-4000-8000-00000000000f"));
      expected.put("doc", "{\"k\": [1, \"x\"]}");
      expected.put("nums", Arrays.asList(new BigDecimal("1.10"), new BigDecimal("-2"), "NaN",
          null));
      expected.put("mood", "yay");
      expected.put("moods", List.of("meh", "yay"));
      expected.put("p", new BigDecimal("12.30"));
      expected.put("docs", List.of("{\"a\": \"b c\"}"));
      expected.put("stamps", List.of(Instant.parse("2024-01-01T00:00:00Z")));
      assertEquals(expected, inserted);
      assertEquals(new BigDecimal("7.00"), events.get(2).after().get("amount"));
      assertEquals(new BigDecimal("1.5000"), events.get(3).after().get("amount"),
          "the column's new type");
      streamed = new LinkedHashMap<>(events.get(3).after());
    }
    try (ReaderHarness reader = new ReaderHarness(server.source("evolve_snap", "evolving")
        .snapshotMode(SnapshotMode.INITIAL_ONLY).build().settings(),
        PgSplit.fresh("evolve_snap"))) {
      while (!reader.pollOnce()) {
        // until the end
      }
      Map<String, Object> read = new LinkedHashMap<>(reader.events.stream()
          .filter(e -> e.after().get("id").equals(2)).findFirst().orElseThrow().after());
      assertArrayEquals((byte[]) streamed.remove("bin"), (byte[]) read.remove("bin"));
      assertArrayEquals((byte[]) ((List<?>) streamed.remove("bins")).get(0),
          (byte[]) ((List<?>) read.remove("bins")).get(0));
      assertEquals(streamed, read, "the snapshot reads what the stream carried");
    }
  }

  @Test
  void aResumeInsideATransactionRepeatsNeitherItsBeginNorItsFirstChanges() throws Exception {
    server.execute("CREATE TABLE tx_resume (id int PRIMARY KEY)");
    PostgresCdcSettings settings = server.source("txres_slot", "tx_resume")
        .provideTransactionMetadata(true).queueCapacity(3).build().settings();
    PgSplit checkpointed;
    List<ChangeEvent> before;
    try (ReaderHarness reader = new ReaderHarness(settings, PgSplit.fresh("txres_slot"))) {
      reader.pollUntil(e -> reader.reader.currentSplit().snapshotDone(), Duration.ofSeconds(30));
      server.execute("INSERT INTO tx_resume SELECT g FROM generate_series(1, 10) g");
      reader.pollCount(4);
      checkpointed = reader.reader.snapshotState(1).get(0);
      before = List.copyOf(reader.events);
    }
    assertTrue(checkpointed.partialTxLsn() > 0 && before.size() < 12,
        "checkpoint inside the transaction: " + before.size());
    try (ReaderHarness reader = new ReaderHarness(settings, checkpointed)) {
      reader.pollCount(12 - before.size());
      Thread.sleep(300);
      reader.pollOnce();
      List<ChangeEvent> all = new java.util.ArrayList<>(before);
      all.addAll(reader.events);
      assertEquals(12, all.size(), all.toString());
      assertEquals(Operation.BEGIN, all.get(0).op());
      assertEquals(Operation.END, all.get(11).op());
      assertEquals(10, all.get(11).transaction().eventCount());
      for (int i = 1; i <= 10; i++) {
        assertEquals(i, all.get(i).after().get("id"));
        assertEquals(i, all.get(i).transaction().totalOrder());
        assertEquals(all.get(0).transaction().id(), all.get(i).transaction().id());
      }
    }
  }
}
