package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import io.weir.connectors.postgres.ChangeEvent.SourceInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads tables in an exported snapshot, in chunks ordered by primary key, as events with op
 * {@code r}. The last event of the snapshot is marked {@code last}. Blocks on the database.
 */
public final class SnapshotReader {
  private record Col(String name, int typeOid, String sqlType) {}

  private final Connection sql;
  private final ValueConverter converter;
  private final String database;
  private final int chunkSize;
  private final Clock clock;
  private ChangeEvent held;

  /**
   * @param sql a connection of its own, in text format, autocommit; it is left in autocommit
   * @param converter converts values
   * @param database the database name
   * @param chunkSize rows per chunk
   * @param clock gives {@code ts_ms}
   */
  public SnapshotReader(Connection sql, ValueConverter converter, String database, int chunkSize,
      Clock clock) {
    this.sql = sql;
    this.converter = converter;
    this.database = database;
    this.chunkSize = chunkSize;
    this.clock = clock;
  }

  /**
   * Reads every table in snapshot {@code snapshotName}, in one REPEATABLE READ transaction.
   *
   * @param tables the tables, in order
   * @param snapshotName the slot's exported snapshot
   * @param consistentLsn the slot's consistent point, the events' {@code lsn}
   * @param sink receives each event; may block (backpressure)
   * @param stopped checked between chunks; true stops the read early
   */
  public void read(List<TableId> tables, String snapshotName, long consistentLsn,
      Consumer<ChangeEvent> sink, java.util.function.BooleanSupplier stopped)
      throws SQLException {
    sql.setAutoCommit(false);
    sql.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      try (Statement statement = sql.createStatement()) {
        statement.execute("SET TRANSACTION SNAPSHOT '" + snapshotName.replace("'", "''") + "'");
      }
      for (TableId table : tables) {
        readTable(table, consistentLsn, sink, stopped);
      }
      if (held != null) {
        ChangeEvent last = held;
        SourceInfo s = last.source();
        sink.accept(new ChangeEvent(null, last.after(), Operation.READ, new SourceInfo(
            s.connector(), s.db(), s.schema(), s.table(), s.lsn(), null, s.tsMs(), "last"),
            last.tsMs()));
        held = null;
      }
      sql.commit();
    } finally {
      sql.setAutoCommit(true);
    }
  }

  private void readTable(TableId table, long lsn, Consumer<ChangeEvent> sink,
      java.util.function.BooleanSupplier stopped) throws SQLException {
    List<Col> columns = columns(table, false);
    List<Col> key = columns(table, true);
    String select = "SELECT " + String.join(", ", columns.stream()
        .map(c -> TableId.quote(c.name())).toList()) + " FROM " + table.quoted();
    if (key.isEmpty()) { // no primary key: one pass with a cursor
      try (PreparedStatement statement = sql.prepareStatement(select)) {
        statement.setFetchSize(chunkSize);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            emit(table, lsn, columns, rows, sink);
          }
        }
      }
      return;
    }
    String keyList = String.join(", ", key.stream().map(c -> TableId.quote(c.name())).toList());
    String order = " ORDER BY " + keyList + " LIMIT " + chunkSize;
    String after = " WHERE (" + keyList + ") > (" + String.join(", ", key.stream()
        .map(c -> "?::" + c.sqlType()).toList()) + ")";
    List<String> last = null;
    while (!stopped.getAsBoolean()) {
      try (PreparedStatement statement = sql.prepareStatement(
          select + (last == null ? "" : after) + order)) {
        for (int i = 0; last != null && i < last.size(); i++) {
          statement.setString(i + 1, last.get(i));
        }
        int count = 0;
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            count++;
            emit(table, lsn, columns, rows, sink);
            List<String> keyValues = new ArrayList<>(key.size());
            for (Col k : key) {
              keyValues.add(rows.getString(k.name()));
            }
            last = keyValues;
          }
        }
        if (count < chunkSize) {
          return;
        }
      }
    }
  }

  private void emit(TableId table, long lsn, List<Col> columns, ResultSet rows,
      Consumer<ChangeEvent> sink) throws SQLException {
    Map<String, Object> after = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      after.put(columns.get(i).name(), converter.convert(columns.get(i).typeOid(),
          rows.getString(i + 1)));
    }
    long now = clock.millis();
    ChangeEvent event = new ChangeEvent(null, after, Operation.READ, new SourceInfo(
        "postgresql", database, table.schema(), table.table(), lsn, null, now, "true"), now);
    if (held != null) {
      sink.accept(held);
    }
    held = event;
  }

  private List<Col> columns(TableId table, boolean keyOnly) throws SQLException {
    String query = keyOnly
        ? "SELECT a.attname, a.atttypid, format_type(a.atttypid, a.atttypmod)"
            + " FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary"
            + " ORDER BY array_position(i.indkey::int2[], a.attnum)"
        : "SELECT a.attname, a.atttypid, format_type(a.atttypid, a.atttypmod)"
            + " FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attnum > 0"
            + " AND NOT a.attisdropped ORDER BY a.attnum";
    try (PreparedStatement statement = sql.prepareStatement(query)) {
      statement.setString(1, table.quoted());
      List<Col> columns = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(new Col(rows.getString(1), rows.getInt(2), rows.getString(3)));
        }
      }
      if (columns.isEmpty() && !keyOnly) {
        throw new SQLException("table " + table + " has no columns");
      }
      return columns;
    }
  }
}
