package io.weir.stream.internal;

import java.util.Objects;

/**
 * An exchange between two vertices.
 *
 * @param sourceVertex the upstream vertex's id
 * @param sourceNode the operator in it that emits to this edge
 * @param targetVertex the downstream vertex's id
 * @param targetNode the operator it feeds (the head of the target vertex)
 * @param targetInput 0, or 1 for the second input of a co-process
 * @param partitioning how records are spread, never null
 * @param sideOutput the side output followed; null for the main output
 * @param streamEdge the index of the {@link StreamEdge} it came from (its key selector)
 */
public record JobEdge(String sourceVertex, int sourceNode, String targetVertex, int targetNode,
    int targetInput, Partitioning partitioning, String sideOutput, int streamEdge) {
  /** Checks the fields. */
  public JobEdge {
    Objects.requireNonNull(sourceVertex, "sourceVertex");
    Objects.requireNonNull(targetVertex, "targetVertex");
    Objects.requireNonNull(partitioning, "partitioning");
  }
}
