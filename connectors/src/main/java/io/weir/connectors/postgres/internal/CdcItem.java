package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.SnapshotSegment;
import java.util.List;

/** What the background worker hands to the reader, in order. */
sealed interface CdcItem {
  /**
   * An event; {@code txLsn} is its transaction's final LSN (0 in the snapshot) and
   * {@code indexInTx} how many events of that transaction were handed over with it.
   */
  record Event(ChangeEvent event, long txLsn, long indexInTx) implements CdcItem {}

  /**
   * A row of the snapshot: table {@code table} (its index in the configured tables) and the
   * row's primary key as the server's text (null for a table without one).
   */
  record SnapshotRead(ChangeEvent event, int table, List<String> key) implements CdcItem {}

  /** A chunk of table {@code table} was read. */
  record ChunkRead(int table) implements CdcItem {}

  /** A fresh snapshot starts, in the slot's exported snapshot at {@code lsn}. */
  record SnapshotStarted(long lsn) implements CdcItem {}

  /** An unfinished snapshot goes on, in a new database snapshot. */
  record SnapshotResumed(SnapshotSegment segment) implements CdcItem {}

  /** A transaction fully handed over; streaming may resume at {@code endLsn}. */
  record TxEnd(long endLsn) implements CdcItem {}

  /** The snapshot is done (or skipped); streaming starts at {@code lsn}. */
  record SnapshotDone(long lsn) implements CdcItem {}

  /** Nothing is in flight up to {@code lsn}: a later resume may start there. */
  record Heartbeat(long lsn) implements CdcItem {}

  /** The worker ends (snapshot mode INITIAL_ONLY). */
  record End() implements CdcItem {}

  /** The worker failed. */
  record Failed(Throwable failure) implements CdcItem {}
}
