package io.weir.connectors.postgres;

/** What a {@link PostgresCdcSource} reads before it streams changes from the slot. */
public enum SnapshotMode {
  /**
   * On a fresh start, read every table in the slot's exported snapshot (events with op
   * {@code r}), then stream from the slot's consistent point. A start from a checkpoint streams
   * from the checkpoint's position; if the slot is gone then, the reader fails.
   */
  INITIAL,
  /** Never snapshot: stream from the slot (created if missing) from its confirmed position. */
  NEVER,
  /** Snapshot as {@link #INITIAL}, then end: the source is bounded. */
  INITIAL_ONLY,
  /**
   * As {@link #INITIAL}, but a start from a checkpoint whose slot is gone snapshots again
   * instead of failing.
   */
  WHEN_NEEDED
}
