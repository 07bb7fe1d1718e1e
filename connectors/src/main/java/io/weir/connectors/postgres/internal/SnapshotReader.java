package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import io.weir.connectors.postgres.ChangeEvent.SourceInfo;
import io.weir.connectors.postgres.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads tables in an exported snapshot, in chunks ordered by primary key, as events with op
 * {@code r}, each with its position (table and key), from a start position on: a snapshot
 * resumed after a restore reads on after the last row emitted. The last event of the snapshot is
 * marked {@code last}. A table without a primary key is read whole, in one pass with a cursor.
 * Blocks on the database.
 */
public final class SnapshotReader {
  private record Col(String name, int typeOid, String sqlType, int typeModifier) {}

  private final Connection sql;
  private final ValueConverter converter;
  private final String database;
  private final int chunkSize;
  private final Clock clock;
  private CdcItem.SnapshotRead held;
  /** The column names of the rows emitted, shared by them, and the columns they are of. */
  private String[] names;
  private List<Col> namedColumns;
  /** The schema of the table being read. */
  private TableSchema schema;

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
   * Reads the tables from position ({@code fromTable}, {@code afterKey}) on, in snapshot
   * {@code snapshotName}, in one REPEATABLE READ transaction.
   *
   * @param tables the tables, in order
   * @param snapshotName an exported snapshot
   * @param consistentLsn the snapshot's consistent point, the events' {@code lsn}
   * @param fromTable the index of the first table to read
   * @param afterKey the key after which that table is read (server text); null for all of it
   * @param sink receives {@link CdcItem.SnapshotRead} and {@link CdcItem.ChunkRead} items; may
   *     block (backpressure)
   * @param stopped checked between chunks; true stops the read early
   */
  void read(List<TableId> tables, String snapshotName, long consistentLsn, int fromTable,
      List<String> afterKey, Consumer<CdcItem> sink, BooleanSupplier stopped)
      throws SQLException {
    sql.setAutoCommit(false);
    sql.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      try (Statement statement = sql.createStatement()) {
        statement.execute("SET TRANSACTION SNAPSHOT '" + snapshotName.replace("'", "''") + "'");
      }
      for (int t = fromTable; t < tables.size() && !stopped.getAsBoolean(); t++) {
        readTable(tables.get(t), t, t == fromTable ? afterKey : null, consistentLsn, sink,
            stopped);
      }
      if (held != null && !stopped.getAsBoolean()) {
        ChangeEvent last = held.event();
        SourceInfo s = last.source();
        sink.accept(new CdcItem.SnapshotRead(new ChangeEvent(null, last.after(),
            Operation.READ, new SourceInfo(s.connector(), s.db(), s.schema(), s.table(), s.lsn(),
            null, s.tsMs(), "last"), last.tsMs(), null, last.schema()), held.table(),
            held.key()));
        held = null;
      }
      sql.commit();
    } finally {
      sql.setAutoCommit(true);
    }
  }

  private void readTable(TableId table, int index, List<String> afterKey, long lsn,
      Consumer<CdcItem> sink, BooleanSupplier stopped) throws SQLException {
    List<Col> columns = columns(table, false);
    List<Col> key = columns(table, true);
    Set<String> keyNames = new HashSet<>();
    key.forEach(k -> keyNames.add(k.name()));
    schema = new TableSchema(columns.stream().map(c -> new TableSchema.Column(c.name(),
        converter.typeName(c.typeOid()), c.typeOid(), c.typeModifier(),
        keyNames.contains(c.name()))).toList());
    String select = "SELECT " + String.join(", ", columns.stream()
        .map(c -> TableId.quote(c.name())).toList()) + " FROM " + table.quoted();
    if (key.isEmpty()) { // no primary key: one pass with a cursor, one chunk
      try (PreparedStatement statement = sql.prepareStatement(select)) {
        statement.setFetchSize(chunkSize);
        boolean any = false;
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            any = true;
            emit(table, index, null, lsn, columns, rows, sink);
          }
        }
        if (any) {
          sink.accept(new CdcItem.ChunkRead(index));
        }
      }
      return;
    }
    String keyList = String.join(", ", key.stream().map(c -> TableId.quote(c.name())).toList());
    String order = " ORDER BY " + keyList + " LIMIT " + chunkSize;
    String after = " WHERE (" + keyList + ") > (" + String.join(", ", key.stream()
        .map(c -> "?::" + c.sqlType()).toList()) + ")";
    if (afterKey != null && afterKey.size() != key.size()) {
      throw new IllegalStateException("the snapshot of " + table + " resumes after a key of "
          + afterKey.size() + " columns, but its primary key has " + key.size()
          + ": was the primary key changed while the snapshot was interrupted?");
    }
    List<String> last = afterKey;
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
            List<String> keyValues = new ArrayList<>(key.size());
            for (Col k : key) {
              keyValues.add(rows.getString(k.name()));
            }
            emit(table, index, keyValues, lsn, columns, rows, sink);
            last = keyValues;
          }
        }
        if (count > 0) {
          sink.accept(new CdcItem.ChunkRead(index));
        }
        if (count < chunkSize) {
          return;
        }
      }
    }
  }

  private void emit(TableId table, int index, List<String> key, long lsn, List<Col> columns,
      ResultSet rows, Consumer<CdcItem> sink) throws SQLException {
    if (columns != namedColumns) {
      names = columns.stream().map(Col::name).toArray(String[]::new);
      namedColumns = columns;
    }
    Object[] values = new Object[names.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = converter.convert(columns.get(i).typeOid(), rows.getString(i + 1));
    }
    RowImage after = new RowImage(names, values);
    long now = clock.millis();
    ChangeEvent event = new ChangeEvent(null, after, Operation.READ, new SourceInfo(
        "postgresql", database, table.schema(), table.table(), lsn, null, now, "true"), now,
        null, schema);
    if (held != null) {
      sink.accept(held);
    }
    held = new CdcItem.SnapshotRead(event, index, key);
  }
  private List<Col> columns(TableId table, boolean keyOnly) throws SQLException {
    String query = keyOnly
        ? "SELECT a.attname, a.atttypid, format_type(a.atttypid, a.atttypmod), a.atttypmod"
            + " FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary"
            + " ORDER BY array_position(i.indkey::int2[], a.attnum)"
        : "SELECT a.attname, a.atttypid, format_type(a.atttypid, a.atttypmod), a.atttypmod"
            + " FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attnum > 0"
            + " AND NOT a.attisdropped ORDER BY a.attnum";
    try (PreparedStatement statement = sql.prepareStatement(query)) {
      statement.setString(1, table.quoted());
      List<Col> columns = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          columns.add(new Col(rows.getString(1), rows.getInt(2), rows.getString(3),
              rows.getInt(4)));
        }
      }
      if (columns.isEmpty() && !keyOnly) {
        throw new SQLException("table " + table + " has no columns");
      }
      return columns;
    }
  }
}
