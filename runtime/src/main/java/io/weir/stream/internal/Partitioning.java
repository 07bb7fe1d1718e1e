package io.weir.stream.internal;

/** How records cross an edge from the subtasks of one operator to those of the next. */
public enum Partitioning {
  /** Subtask i to subtask i; the only kind of edge that can be chained. */
  FORWARD,
  /** By key group of the record's key. */
  HASH,
  /** Every record to every subtask. */
  BROADCAST,
  /** Round-robin over the next operator's subtasks. */
  REBALANCE
}
