package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import io.weir.connectors.postgres.SnapshotSegment;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Keeps streamed changes from repeating what a resumed snapshot read. A snapshot interrupted by
 * a restore is finished in a new database snapshot (a new {@link SnapshotSegment}), later than
 * the slot's consistent point where streaming starts: a change committed between the two is
 * already in the rows the later segment read, so for those rows it is dropped, while for rows
 * read earlier it is emitted. A change that moves a row's key from one segment to another
 * becomes the half the consumer has not seen (a delete of the old key, or an insert of the new).
 *
 * <p>Which segment holds a key is decided by the server's own ordering of the primary key (a
 * query per change, only for changes of a table split between segments and committed before
 * the later one). Not thread-safe; blocks on the database.
 */
final class SnapshotBoundaries {
  private record KeyColumn(String name, String sqlType) {}

  private final List<SnapshotSegment> segments;
  private final List<TableId> tables;
  private final Connection sql;
  private final long end;
  private final Map<Integer, List<KeyColumn>> keys = new HashMap<>();

  /**
   * @param segments the snapshot's segments, in order
   * @param tables the configured tables, in order
   * @param sql a connection in autocommit, for key comparisons
   */
  SnapshotBoundaries(List<SnapshotSegment> segments, List<TableId> tables, Connection sql) {
    this.segments = List.copyOf(segments);
    this.tables = tables;
    this.sql = sql;
    this.end = segments.stream().mapToLong(SnapshotSegment::lsn).max().orElse(0);
  }

  /**
   * The event to emit for {@code event}, committed at {@code commitLsn}: the event itself, a
   * part of it (for a key moved between segments), or null when the snapshot already read it.
   */
  ChangeEvent apply(ChangeEvent event, long commitLsn) throws SQLException {
    if (commitLsn >= end || segments.size() < 2) {
      return event;
    }
    int table = tables.indexOf(new TableId(event.source().schema(), event.source().table()));
    if (table < 0) {
      return event;
    }
    if (event.op() == Operation.TRUNCATE) {
      // Emitted unless every segment of the table read it (see docs: a truncate committed
      // between two segments also empties the rows the later one read).
      return segmentsOf(table).stream().allMatch(s -> commitLsn < s.lsn()) ? null : event;
    }
    Map<String, Object> oldRow = event.before();
    Map<String, Object> newRow = event.after();
    if (oldRow == null || newRow == null) { // an insert, a delete, an update keeping its key
      Map<String, Object> row = oldRow == null ? newRow : oldRow;
      return commitLsn >= segmentOf(table, row).lsn() ? event : null;
    }
    boolean emitOld = commitLsn >= segmentOf(table, oldRow).lsn();
    boolean emitNew = commitLsn >= segmentOf(table, newRow).lsn();
    if (emitOld && emitNew) {
      return event;
    }
    if (!emitOld && !emitNew) {
      return null;
    }
    if (emitNew) { // the old key's segment read the row moved away: the new key is new to it
      return new ChangeEvent(null, newRow, Operation.CREATE, event.source(), event.tsMs(), null,
          event.schema());
    }
    return new ChangeEvent(oldRow, null, Operation.DELETE, event.source(), event.tsMs(), null,
        event.schema());
  }

  private List<SnapshotSegment> segmentsOf(int table) {
    List<SnapshotSegment> of = new ArrayList<>();
    SnapshotSegment before = null;
    for (SnapshotSegment s : segments) {
      if (s.table() < table || (s.table() == table && s.afterKey() == null)) {
        before = s;
      } else if (s.table() == table) {
        of.add(s);
      }
    }
    if (before != null) {
      of.add(0, before);
    }
    return of;
  }

  /** The last segment starting at or before the row's key. */
  private SnapshotSegment segmentOf(int table, Map<String, Object> row) throws SQLException {
    SnapshotSegment found = null;
    for (SnapshotSegment s : segments) {
      if (s.table() > table) {
        break;
      }
      if (s.table() < table || s.afterKey() == null || keyAfter(table, row, s.afterKey())) {
        found = s;
      }
    }
    if (found == null) {
      throw new IllegalStateException("no snapshot segment holds table " + tables.get(table));
    }
    return found;
  }

  private boolean keyAfter(int table, Map<String, Object> row, List<String> bound)
      throws SQLException {
    List<KeyColumn> key = keyOf(table);
    if (key.size() != bound.size()) {
      throw new IllegalStateException("the primary key of " + tables.get(table)
          + " changed while its snapshot was interrupted");
    }
    StringBuilder left = new StringBuilder("(");
    StringBuilder right = new StringBuilder("(");
    for (int i = 0; i < key.size(); i++) {
      String cast = "?::" + key.get(i).sqlType();
      left.append(i == 0 ? "" : ", ").append(cast);
      right.append(i == 0 ? "" : ", ").append(cast);
      if (!row.containsKey(key.get(i).name()) || row.get(key.get(i).name()) == null) {
        throw new IllegalStateException("a change of " + tables.get(table)
            + " lacks its primary-key column " + key.get(i).name()
            + " (REPLICA IDENTITY NOTHING?): cannot place it in the resumed snapshot");
      }
    }
    try (PreparedStatement statement = sql.prepareStatement(
        "SELECT " + left + ") > " + right + ")")) {
      for (int i = 0; i < key.size(); i++) {
        statement.setString(i + 1, text(row.get(key.get(i).name())));
        statement.setString(key.size() + i + 1, bound.get(i));
      }
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  private List<KeyColumn> keyOf(int table) throws SQLException {
    List<KeyColumn> known = keys.get(table);
    if (known != null) {
      return known;
    }
    List<KeyColumn> key = new ArrayList<>();
    try (PreparedStatement statement = sql.prepareStatement(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod)"
            + " FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            + " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary"
            + " ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
      statement.setString(1, tables.get(table).quoted());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          key.add(new KeyColumn(rows.getString(1), rows.getString(2)));
        }
      }
    }
    keys.put(table, key);
    return key;
  }

  /** A key value as text the server parses back to the same value. */
  static String text(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof byte[] bytes) {
      return "\\x" + HexFormat.of().formatHex(bytes);
    }
    return value.toString();
  }
}
