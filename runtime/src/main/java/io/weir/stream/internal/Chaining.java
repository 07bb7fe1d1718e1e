package io.weir.stream.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Turns a valid stream graph into a job graph by chaining operators, with Flink's rules: an
 * operator joins the chain of its input when it has exactly one input edge, that edge is
 * forward, both run with the same parallelism, chaining is enabled for the job, the operator's
 * strategy is {@link ChainingStrategy#ALWAYS} and its input's is not
 * {@link ChainingStrategy#NEVER}. A forward edge between different parallelisms becomes a
 * rebalance. Since a chained operator has one input, chains are trees rooted at their head.
 */
final class Chaining {
  private final StreamGraph graph;
  private final Map<Integer, Integer> headOf = new HashMap<>();

  private Chaining(StreamGraph graph) {
    this.graph = graph;
  }

  /** The job graph of {@code graph}, which {@link GraphValidator} found valid. */
  static JobGraph plan(StreamGraph graph) {
    return new Chaining(graph).build();
  }

  private JobGraph build() {
    Map<Integer, List<ChainedOperator>> chains = new LinkedHashMap<>();
    Map<Integer, List<ChainEdge>> chainEdges = new HashMap<>();
    for (int id : topologicalOrder()) {
      StreamNode node = graph.node(id);
      List<StreamEdge> inputs = graph.inputsOf(id);
      int head = inputs.size() == 1 && chainable(inputs.get(0)) ? headOf.get(inputs.get(0).source())
          : id;
      headOf.put(id, head);
      chains.computeIfAbsent(head, h -> new ArrayList<>())
          .add(new ChainedOperator(id, node.name(), node.kind()));
      if (head != id) {
        StreamEdge in = inputs.get(0);
        chainEdges.computeIfAbsent(head, h -> new ArrayList<>())
            .add(new ChainEdge(in.source(), id, in.sideOutput()));
      }
    }
    List<JobVertex> vertices = new ArrayList<>();
    chains.keySet().stream().sorted().forEach(head -> {
      List<ChainedOperator> ops = chains.get(head);
      vertices.add(new JobVertex(vertexId(head), String.join(" -> ",
          ops.stream().map(ChainedOperator::name).toList()),
          graph.parallelismOf(graph.node(head)), ops, chainEdges.getOrDefault(head, List.of())));
    });
    List<JobEdge> edges = new ArrayList<>();
    for (StreamEdge e : graph.edges()) {
      if (headOf.get(e.target()) == e.target()) {
        edges.add(new JobEdge(vertexId(headOf.get(e.source())), e.source(), vertexId(e.target()),
            e.target(), e.input(), resolved(e), e.sideOutput(), e.index()));
      }
    }
    return new JobGraph(graph.jobName(), graph.maxParallelism(), vertices, edges,
        graph.execution());
  }

  private boolean chainable(StreamEdge e) {
    StreamNode up = graph.node(e.source());
    StreamNode down = graph.node(e.target());
    return graph.chainingEnabled()
        && resolved(e) == Partitioning.FORWARD
        && down.chaining() == ChainingStrategy.ALWAYS
        && up.chaining() != ChainingStrategy.NEVER;
  }

  /** The edge's partitioning, a forward edge between different parallelisms made a rebalance. */
  private Partitioning resolved(StreamEdge e) {
    boolean sameParallelism = graph.parallelismOf(graph.node(e.source()))
        == graph.parallelismOf(graph.node(e.target()));
    return e.partitioning() == Partitioning.FORWARD && !sameParallelism ? Partitioning.REBALANCE
        : e.partitioning();
  }

  /** Kahn's algorithm, always taking the lowest ready id, so the order is deterministic. */
  private List<Integer> topologicalOrder() {
    int n = graph.nodes().size();
    int[] indegree = new int[n];
    graph.edges().forEach(e -> indegree[e.target()]++);
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (indegree[i] == 0) {
        ready.add(i);
      }
    }
    List<Integer> order = new ArrayList<>(n);
    while (!ready.isEmpty()) {
      int id = ready.poll();
      order.add(id);
      for (StreamEdge e : graph.outputsOf(id)) {
        if (--indegree[e.target()] == 0) {
          ready.add(e.target());
        }
      }
    }
    if (order.size() != n) {
      throw new IllegalStateException("the graph has a cycle; validate it before chaining");
    }
    return order;
  }

  /** The head's id and its name in lower case with runs of other characters as one dash. */
  private String vertexId(int head) {
    String slug = graph.node(head).name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-|-$", "");
    return head + "-" + (slug.isEmpty() ? "operator" : slug);
  }
}
