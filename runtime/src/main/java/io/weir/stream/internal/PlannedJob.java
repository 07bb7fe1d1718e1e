package io.weir.stream.internal;

import io.weir.stream.api.KeySelector;
import java.util.Objects;

/**
 * A planned job: the job graph, pure data, and the stream graph it came from, which holds the
 * user functions of this node's instance of the definition (found by node id).
 *
 * @param streamGraph what the definition built, never null
 * @param jobGraph the plan, never null
 */
public record PlannedJob(StreamGraph streamGraph, JobGraph jobGraph) {
  /** Checks the fields. */
  public PlannedJob {
    Objects.requireNonNull(streamGraph, "streamGraph");
    Objects.requireNonNull(jobGraph, "jobGraph");
  }

  /**
   * The router of a hash exchange, which checks every key (see {@link KeyRouter}).
   *
   * @param edge a {@link Partitioning#HASH} edge of {@link #jobGraph()}
   * @param <T> the type of the records crossing it
   * @return the router for the edge's target parallelism
   * @throws IllegalArgumentException when the edge is not a hash exchange
   */
  @SuppressWarnings("unchecked")
  public <T> KeyRouter<T> keyRouter(JobEdge edge) {
    if (edge.partitioning() != Partitioning.HASH) {
      throw new IllegalArgumentException("not a hash exchange: " + edge);
    }
    StreamEdge e = streamGraph.edges().get(edge.streamEdge());
    String exchange = "'" + streamGraph.node(e.source()).name() + "' -> '"
        + streamGraph.node(e.target()).name() + "'";
    return new KeyRouter<>(exchange, (KeySelector<T, ?>) e.keySelector(),
        jobGraph.maxParallelism(), jobGraph.vertex(edge.targetVertex()).parallelism());
  }
}
