package io.weir.stream.internal;

import io.weir.stream.api.KeySelector;
import java.util.Objects;

/**
 * A connection between two operators as the job definition built it.
 *
 * @param index the edge's position in the order of definition, from 0
 * @param source the upstream node's id
 * @param target the downstream node's id
 * @param input which input of the target: 0, or 1 for the second input of a co-process
 * @param partitioning as requested; the planner turns a forward edge between different
 *     parallelisms into a rebalance
 * @param keySelector for a {@link Partitioning#HASH} edge; null otherwise (or when the user
 *     passed null, which the planner reports)
 * @param sideOutput the id of the source's side output this edge reads; null for its main output
 */
public record StreamEdge(int index, int source, int target, int input, Partitioning partitioning,
    KeySelector<?, ?> keySelector, String sideOutput) {
  /** Checks the fields. */
  public StreamEdge {
    Objects.requireNonNull(partitioning, "partitioning");
    if (input < 0 || input > 1) {
      throw new IllegalArgumentException("an edge's input is 0 or 1, was " + input);
    }
  }
}
