package io.weir.connectors.postgres;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where an unfinished snapshot stands, after the last row emitted: a restore reads on from
 * there. Also its progress, per configured table.
 *
 * @param table the index of the table being read (the tables before it are done)
 * @param afterKey the primary key (the server's text) of the last row emitted from that table;
 *     null when none was, or when the table has no primary key (it is then read again whole)
 * @param rows rows emitted so far, per table, in the configured order
 * @param chunks chunks read so far, per table
 */
public record SnapshotPosition(int table, List<String> afterKey, List<Long> rows,
    List<Long> chunks) {
  /** Checks the index and copies the lists. */
  public SnapshotPosition {
    if (table < 0) {
      throw new IllegalArgumentException("negative table index " + table);
    }
    afterKey = afterKey == null ? null : List.copyOf(afterKey);
    rows = List.copyOf(rows);
    chunks = List.copyOf(chunks);
    if (rows.size() != chunks.size()) {
      throw new IllegalArgumentException("rows and chunks for different table counts");
    }
  }

  /** The start of a snapshot of {@code tables} tables. */
  public static SnapshotPosition start(int tables) {
    List<Long> zeros = Collections.nCopies(tables, 0L);
    return new SnapshotPosition(0, null, zeros, zeros);
  }

  /** This position after a row of table {@code index} with key {@code key} was emitted. */
  public SnapshotPosition afterRow(int index, List<String> key) {
    List<Long> more = new ArrayList<>(rows);
    more.set(index, more.get(index) + 1);
    return new SnapshotPosition(index, key, more, chunks);
  }

  /** This position after a chunk of table {@code index} was read. */
  public SnapshotPosition afterChunk(int index) {
    List<Long> more = new ArrayList<>(chunks);
    more.set(index, more.get(index) + 1);
    return new SnapshotPosition(table, afterKey, rows, more);
  }
}
