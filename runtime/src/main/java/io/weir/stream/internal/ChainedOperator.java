package io.weir.stream.internal;

import java.util.Objects;

/**
 * An operator inside a vertex.
 *
 * @param nodeId the stream node's id, which finds its function in the {@link StreamGraph}
 * @param name the operator's name, never null
 * @param kind what it does, never null
 */
public record ChainedOperator(int nodeId, String name, OperatorKind kind) {
  /** Checks the fields. */
  public ChainedOperator {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }
}
