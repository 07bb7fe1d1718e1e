package io.weir.stream.internal;

import java.util.List;
import java.util.Objects;

/**
 * A chain of operators run together by each of {@code parallelism} subtasks (the entity
 * {@code job/vertex/subtask}). Within it, records are method calls; between vertices, messages.
 *
 * @param id stable across plans of the same definition: the head operator's id and name, such
 *     as {@code 3-count}
 * @param name the operators' names joined by {@code " -> "}
 * @param parallelism how many subtasks, at least 1
 * @param operators the chain, head first, then in order of definition; never empty
 * @param chainEdges the calls inside the chain
 */
public record JobVertex(String id, String name, int parallelism, List<ChainedOperator> operators,
    List<ChainEdge> chainEdges) {
  /** Checks and copies. */
  public JobVertex {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    operators = List.copyOf(operators);
    chainEdges = List.copyOf(chainEdges);
    if (operators.isEmpty()) {
      throw new IllegalArgumentException("vertex " + id + " has no operators");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("vertex " + id + " has parallelism " + parallelism);
    }
  }

  /** The first operator, which receives the vertex's inputs. */
  public ChainedOperator head() {
    return operators.get(0);
  }

  /** The operators' names, head first, for tests and logs. */
  public List<String> operatorNames() {
    return operators.stream().map(ChainedOperator::name).toList();
  }
}
