package io.weir.connectors.postgres;

import java.util.List;

/**
 * A stretch of the snapshot read in one database snapshot: from its start position to the next
 * segment's start, in table order then primary-key order. A snapshot resumed after a restore
 * reads its remaining rows in a new database snapshot, a new segment; streamed changes committed
 * before a segment's {@code lsn} are already in the rows it read, and are not emitted again for
 * those rows.
 *
 * @param lsn the consistent point of the segment's database snapshot: a transaction is in the
 *     rows read iff its commit record lies before it
 * @param table the index (in the configured tables) of the table the segment starts in
 * @param afterKey the primary-key values (the server's text) after which the segment starts in
 *     that table; null when it starts at the table's first row
 */
public record SnapshotSegment(long lsn, int table, List<String> afterKey) {
  /** Checks the position and copies the key. */
  public SnapshotSegment {
    if (lsn <= 0 || table < 0) {
      throw new IllegalArgumentException("bad snapshot segment at " + lsn + " table " + table);
    }
    afterKey = afterKey == null ? null : List.copyOf(afterKey);
  }
}
