package io.weir.log.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a consumer group spreads the partitions of its topics over its members. */
public enum AssignmentStrategy {
  /** Per topic, consecutive ranges of partitions to members in member-id order (Kafka's range). */
  RANGE("range"),
  /** All partitions, in topic and partition order, dealt to members in turn. */
  ROUND_ROBIN("round-robin"),
  /**
   * Balanced, keeping as many of each member's partitions as possible; only partitions that move
   * are revoked in a rebalance, and the others keep being consumed throughout.
   */
  COOPERATIVE_STICKY("cooperative-sticky");

  private final String id;

  AssignmentStrategy(String id) {
    this.id = id;
  }

  /** The strategy's name as Kafka spells it: {@code range}, {@code round-robin}, ... */
  public String id() {
    return id;
  }

  /**
   * The strategy named {@code id}.
   *
   * @throws IllegalArgumentException naming the known strategies
   */
  public static AssignmentStrategy parse(String id) {
    for (AssignmentStrategy s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown assignment strategy '" + id + "'; known: "
        + Arrays.stream(values()).map(AssignmentStrategy::id).collect(Collectors.joining(", ")));
  }
}
