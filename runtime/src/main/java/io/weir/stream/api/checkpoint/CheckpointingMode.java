package io.weir.stream.api.checkpoint;

/** What a checkpoint guarantees for state. */
public enum CheckpointingMode {
  /**
   * Barriers are aligned: an operator with several inputs waits for a checkpoint's barrier on
   * all of them before it snapshots, so its state reflects every record before the barrier and
   * none after. State is exactly-once; with exactly-once sinks, so is the output.
   */
  EXACTLY_ONCE,
  /**
   * Barriers are not aligned: records after a barrier on one input may be processed before the
   * snapshot, and are processed again after a restore. Lower latency under skew.
   */
  AT_LEAST_ONCE
}
