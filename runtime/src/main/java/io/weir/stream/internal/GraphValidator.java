package io.weir.stream.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds everything wrong with a stream graph before it is planned, each problem as a message
 * for the user naming the operator and the value at fault. Pure; no side effects.
 */
final class GraphValidator {
  private static final String END_A_STREAM = "end the stream with sinkTo, toLog or print";

  private final StreamGraph graph;
  private final Set<String> problems = new LinkedHashSet<>();

  private GraphValidator(StreamGraph graph) {
    this.graph = graph;
  }

  /** Every problem of {@code graph}, in a stable order; empty when it can be planned. */
  static List<String> problems(StreamGraph graph) {
    GraphValidator v = new GraphValidator(graph);
    v.checkParallelism();
    v.checkFunctions();
    v.checkEdges();
    v.checkSinks();
    v.checkCycles();
    return List.copyOf(v.problems);
  }

  private void checkParallelism() {
    int max = graph.maxParallelism();
    if (max < 1 || max > KeyGroups.UPPER_BOUND_MAX_PARALLELISM) {
      problems.add("the job's max parallelism must be from 1 to "
          + KeyGroups.UPPER_BOUND_MAX_PARALLELISM + ", was " + max);
      return;
    }
    checkOne("the job's default parallelism", graph.defaultParallelism(), max);
    for (StreamNode node : graph.nodes()) {
      if (node.parallelism() == null) {
        continue;
      }
      if (node.nonParallel() && node.parallelism() != 1) {
        problems.add(node.describe() + " is a non-parallel source: its parallelism must be 1,"
            + " was " + node.parallelism());
      } else {
        checkOne("the parallelism of " + node.describe(), node.parallelism(), max);
      }
    }
  }

  private void checkOne(String what, int parallelism, int max) {
    if (parallelism < 1) {
      problems.add(what + " must be at least 1, was " + parallelism);
    } else if (parallelism > max) {
      problems.add(what + " is " + parallelism + ", greater than the max parallelism " + max
          + " (the number of key groups); raise it with setMaxParallelism");
    }
  }

  private void checkFunctions() {
    for (StreamNode node : graph.nodes()) {
      Object op = node.operator();
      boolean missing = op == null
          || op instanceof SourceSpec.Generated g && g.generator() == null
          || op instanceof SourceSpec.Connector c && c.source() == null
          || op instanceof SinkSpec.Connector c && c.sink() == null
          || op instanceof SinkSpec.Log l && l.serializer() == null
          || op instanceof SinkSpec.RoutedLog r && r.router() == null;
      if (missing) {
        problems.add(node.describe() + " was given null instead of its "
            + (node.kind() == OperatorKind.SOURCE ? "source"
                : node.kind() == OperatorKind.SINK ? "sink" : "function"));
      }
    }
  }

  private void checkEdges() {
    for (StreamEdge e : graph.edges()) {
      StreamNode source = graph.node(e.source());
      StreamNode target = graph.node(e.target());
      if (e.partitioning() == Partitioning.HASH && e.keySelector() == null) {
        problems.add("the keyBy before " + target.describe() + " was given a null key selector");
      }
      if (e.sideOutput() != null && !source.kind().hasSideOutputs()) {
        problems.add(target.describe() + " reads side output '" + e.sideOutput() + "' of "
            + source.describe() + ", which is not a process function and has no side outputs");
      }
    }
  }

  private void checkSinks() {
    if (graph.nodes().isEmpty()) {
      problems.add("the job defines no operators: add a source and " + END_A_STREAM);
      return;
    }
    Deque<Integer> todo = new ArrayDeque<>();
    for (StreamNode node : graph.nodes()) {
      if (node.kind() == OperatorKind.SINK) {
        todo.add(node.id());
      }
    }
    if (todo.isEmpty()) {
      problems.add("the job has no sink: " + END_A_STREAM);
      return;
    }
    Set<Integer> leadsToSink = new HashSet<>(todo);
    while (!todo.isEmpty()) {
      for (StreamEdge e : graph.inputsOf(todo.poll())) {
        if (leadsToSink.add(e.source())) {
          todo.add(e.source());
        }
      }
    }
    for (StreamNode node : graph.nodes()) {
      if (!leadsToSink.contains(node.id())) {
        problems.add(node.describe() + " is dangling: its output reaches no sink; "
            + END_A_STREAM + " or remove it");
      }
    }
  }

  /** Depth-first search with three colours; reports the first cycle found, as a path. */
  private void checkCycles() {
    int n = graph.nodes().size();
    int[] colour = new int[n];
    for (int start = 0; start < n; start++) {
      if (colour[start] == 0 && cycleFrom(start, colour, new ArrayList<>())) {
        return;
      }
    }
  }

  private boolean cycleFrom(int node, int[] colour, List<Integer> path) {
    colour[node] = 1;
    path.add(node);
    for (StreamEdge e : graph.outputsOf(node)) {
      int next = e.target();
      if (colour[next] == 1) {
        List<Integer> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
        cycle.add(next);
        problems.add("the job graph has a cycle: " + String.join(" -> ",
            cycle.stream().map(id -> graph.node(id).describe()).toList()));
        return true;
      }
      if (colour[next] == 0 && cycleFrom(next, colour, path)) {
        return true;
      }
    }
    path.remove(path.size() - 1);
    colour[node] = 2;
    return false;
  }
}
