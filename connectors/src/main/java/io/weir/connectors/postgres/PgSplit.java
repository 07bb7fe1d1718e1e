package io.weir.connectors.postgres;

import io.weir.stream.api.source.SourceSplit;
import java.util.List;
import java.util.Objects;

/**
 * The one split of a {@link PostgresCdcSource}: its replication slot, with the position after
 * the last event emitted. Immutable; a reader's checkpoint returns a new one.
 *
 * @param splitId the slot's name
 * @param snapshotDone whether the snapshot (or its absence, in mode NEVER) is behind
 * @param resumeLsn where streaming resumes: the end LSN of the last transaction fully emitted
 *     (or the last heartbeat position); during the snapshot, the slot's consistent point;
 *     0 for "the slot's own position"
 * @param partialTxLsn the final LSN of a transaction emitted in part, 0 for none
 * @param partialTxEvents how many of that transaction's events were emitted
 * @param snapshot where an unfinished snapshot stands; null when none is under way
 * @param segments the database snapshots the snapshot was read in, while streamed changes may
 *     still fall before one of them (empty otherwise)
 */
public record PgSplit(String splitId, boolean snapshotDone, long resumeLsn, long partialTxLsn,
    long partialTxEvents, SnapshotPosition snapshot, List<SnapshotSegment> segments)
    implements SourceSplit {

  /** Checks the id and positions. */
  public PgSplit {
    Objects.requireNonNull(splitId, "splitId");
    if (resumeLsn < 0 || partialTxLsn < 0 || partialTxEvents < 0) {
      throw new IllegalArgumentException("negative position in split " + splitId);
    }
    segments = segments == null ? List.of() : List.copyOf(segments);
    if (snapshotDone && snapshot != null) {
      throw new IllegalArgumentException("split " + splitId + " has a done snapshot under way");
    }
  }

  /** A split without a snapshot under way nor segments to apply. */
  public PgSplit(String splitId, boolean snapshotDone, long resumeLsn, long partialTxLsn,
      long partialTxEvents) {
    this(splitId, snapshotDone, resumeLsn, partialTxLsn, partialTxEvents, null, List.of());
  }

  /** The split of a fresh start, before any snapshot. */
  public static PgSplit fresh(String slot) {
    return new PgSplit(slot, false, 0, 0, 0);
  }

  /** Whether a snapshot was started and not finished: a reader resumes it. */
  public boolean snapshotUnderWay() {
    return snapshot != null;
  }

  /** The largest consistent point of the segments, 0 when there are none. */
  public long segmentsEnd() {
    return segments.stream().mapToLong(SnapshotSegment::lsn).max().orElse(0);
  }
}
