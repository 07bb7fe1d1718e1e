package io.weir.stream.internal;

import java.util.List;
import java.util.Objects;

/**
 * What a job definition built: operators and edges in the order of definition, with the user's
 * functions. The planner validates it and turns it into a {@link JobGraph}.
 *
 * @param jobName the job's name, never null
 * @param maxParallelism the number of key groups, as set (validated by the planner)
 * @param defaultParallelism the parallelism of operators that set none, as set
 * @param chainingEnabled false when the job disabled operator chaining
 * @param nodes never null
 * @param edges never null
 * @param execution checkpointing and restarts, never null
 */
public record StreamGraph(String jobName, int maxParallelism, int defaultParallelism,
    boolean chainingEnabled, List<StreamNode> nodes, List<StreamEdge> edges,
    ExecutionSettings execution) {
  /** A graph with the default execution settings (no checkpoints). */
  public StreamGraph(String jobName, int maxParallelism, int defaultParallelism,
      boolean chainingEnabled, List<StreamNode> nodes, List<StreamEdge> edges) {
    this(jobName, maxParallelism, defaultParallelism, chainingEnabled, nodes, edges,
        ExecutionSettings.DEFAULT);
  }

  /** Copies the lists and checks that node ids are their positions. */
  public StreamGraph {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(execution, "execution");
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).id() != i) {
        throw new IllegalArgumentException("node " + i + " has id " + nodes.get(i).id());
      }
    }
    for (StreamEdge e : edges) {
      if (e.source() < 0 || e.source() >= nodes.size() || e.target() < 0
          || e.target() >= nodes.size()) {
        throw new IllegalArgumentException("edge " + e.index() + " names a missing node");
      }
    }
  }

  /** The node with this id. */
  public StreamNode node(int id) {
    return nodes.get(id);
  }

  /** The parallelism a node runs with: its own, 1 for a non-parallel source, or the default. */
  public int parallelismOf(StreamNode node) {
    if (node.parallelism() != null) {
      return node.parallelism();
    }
    return node.nonParallel() ? 1 : defaultParallelism;
  }

  /** The edges into a node, in order of definition. */
  public List<StreamEdge> inputsOf(int nodeId) {
    return edges.stream().filter(e -> e.target() == nodeId).toList();
  }

  /** The edges out of a node, in order of definition. */
  public List<StreamEdge> outputsOf(int nodeId) {
    return edges.stream().filter(e -> e.source() == nodeId).toList();
  }
}
