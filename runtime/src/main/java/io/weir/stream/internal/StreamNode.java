package io.weir.stream.internal;

import java.util.Objects;

/**
 * One operator as the job definition built it.
 *
 * @param id the operator's position in the order of definition, from 0; stable for a
 *     deterministic definition
 * @param kind what it does, never null
 * @param name its name, never null
 * @param parallelism the parallelism set on it; null for the job's default
 * @param chaining its chaining strategy, never null
 * @param nonParallel whether it is a source that only runs with parallelism 1
 * @param operator the user function, or a {@link SourceSpec} / {@link SinkSpec}; null when the
 *     user passed null (the planner reports it). Never serialized, not a value.
 */
public record StreamNode(int id, OperatorKind kind, String name, Integer parallelism,
    ChainingStrategy chaining, boolean nonParallel, Object operator) {
  /** Checks the fields. */
  public StreamNode {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(chaining, "chaining");
  }

  /** The node as it appears in messages: {@code operator 3 'Count'}. */
  public String describe() {
    return "operator " + id + " '" + name + "'";
  }
}
