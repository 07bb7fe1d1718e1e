package io.weir.stream.internal;

import java.util.List;
import java.util.Objects;

/**
 * The plan of a job: vertices (chains of operators, each with a parallelism) and the exchanges
 * between them. Pure data: it holds no user function, so two plans of the same definition and
 * arguments are {@code equal}, on any node.
 *
 * @param jobName the job's name, never null
 * @param maxParallelism the number of key groups
 * @param vertices in order of their head operator's definition
 * @param edges in order of definition
 * @param execution checkpointing and restarts, never null
 */
public record JobGraph(String jobName, int maxParallelism, List<JobVertex> vertices,
    List<JobEdge> edges, ExecutionSettings execution) {
  /** Checks and copies. */
  public JobGraph {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(execution, "execution");
    vertices = List.copyOf(vertices);
    edges = List.copyOf(edges);
  }

  /**
   * The vertex with this id.
   *
   * @throws IllegalArgumentException when there is none
   */
  public JobVertex vertex(String id) {
    return vertices.stream().filter(v -> v.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no vertex " + id + " in " + jobName));
  }

  /** The vertex whose chain holds the operator with this node id. */
  public JobVertex vertexOf(int nodeId) {
    return vertices.stream()
        .filter(v -> v.operators().stream().anyMatch(o -> o.nodeId() == nodeId))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "no operator " + nodeId + " in " + jobName));
  }

  /** The exchanges into a vertex. */
  public List<JobEdge> inputsOf(String vertexId) {
    return edges.stream().filter(e -> e.targetVertex().equals(vertexId)).toList();
  }

  /**
   * Whether a vertex is keyed: it reads through a hash exchange, so its subtasks own key group
   * ranges and keyed state.
   */
  public boolean isKeyed(String vertexId) {
    return inputsOf(vertexId).stream().anyMatch(e -> e.partitioning() == Partitioning.HASH);
  }

  /**
   * The key groups subtask {@code subtask} of a vertex owns.
   *
   * @throws IllegalArgumentException when the vertex or subtask does not exist
   */
  public KeyGroupRange keyGroupRange(String vertexId, int subtask) {
    return KeyGroupRange.forSubtask(maxParallelism, vertex(vertexId).parallelism(), subtask);
  }
}
