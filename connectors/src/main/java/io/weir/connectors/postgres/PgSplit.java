package io.weir.connectors.postgres;

import io.weir.stream.api.source.SourceSplit;
import java.util.Objects;

/**
 * The one split of a {@link PostgresCdcSource}: its replication slot, with the position after
 * the last event emitted. Immutable; a reader's checkpoint returns a new one.
 *
 * @param splitId the slot's name
 * @param snapshotDone whether the snapshot (or its absence, in mode NEVER) is behind
 * @param resumeLsn where streaming resumes: the end LSN of the last transaction fully emitted
 *     (or the last heartbeat position); 0 for "the slot's own position"
 * @param partialTxLsn the final LSN of a transaction emitted in part, 0 for none
 * @param partialTxEvents how many of that transaction's events were emitted
 */
public record PgSplit(String splitId, boolean snapshotDone, long resumeLsn, long partialTxLsn,
    long partialTxEvents) implements SourceSplit {

  /** Checks the id and positions. */
  public PgSplit {
    Objects.requireNonNull(splitId, "splitId");
    if (resumeLsn < 0 || partialTxLsn < 0 || partialTxEvents < 0) {
      throw new IllegalArgumentException("negative position in split " + splitId);
    }
  }

  /** The split of a fresh start, before any snapshot. */
  public static PgSplit fresh(String slot) {
    return new PgSplit(slot, false, 0, 0, 0);
  }

}
