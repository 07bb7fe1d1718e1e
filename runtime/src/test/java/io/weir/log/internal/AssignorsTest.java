package io.weir.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.AssignmentStrategy;
import io.weir.log.api.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The assignment strategies as pure functions. */
class AssignorsTest {
  private static final Map<String, Integer> TOPICS = Map.of("a", 3, "b", 4);

  private static TopicPartition tp(String topic, int partition) {
    return new TopicPartition(topic, partition);
  }

  private static Map<String, List<String>> subscribe(List<String> topics, String... members) {
    Map<String, List<String>> out = new HashMap<>();
    for (String m : members) {
      out.put(m, topics);
    }
    return out;
  }

  @Test
  void rangeSplitsEachTopicIntoConsecutiveRanges() {
    var out = Assignors.assign(AssignmentStrategy.RANGE, subscribe(List.of("a", "b"), "m2", "m1"),
        TOPICS, Map.of());
    assertEquals(List.of(tp("a", 0), tp("a", 1), tp("b", 0), tp("b", 1)), out.get("m1"));
    assertEquals(List.of(tp("a", 2), tp("b", 2), tp("b", 3)), out.get("m2"));
  }

  @Test
  void roundRobinDealsAllPartitionsInTurn() {
    var out = Assignors.assign(AssignmentStrategy.ROUND_ROBIN,
        subscribe(List.of("a", "b"), "m1", "m2", "m3"), TOPICS, Map.of());
    assertEquals(List.of(tp("a", 0), tp("b", 0), tp("b", 3)), out.get("m1"));
    assertEquals(List.of(tp("a", 1), tp("b", 1)), out.get("m2"));
    assertEquals(List.of(tp("a", 2), tp("b", 2)), out.get("m3"));
  }

  @Test
  void roundRobinSkipsMembersNotSubscribed() {
    Map<String, List<String>> subs = Map.of("m1", List.of("a"), "m2", List.of("a", "b"));
    var out = Assignors.assign(AssignmentStrategy.ROUND_ROBIN, subs, TOPICS, Map.of());
    assertEquals(List.of(tp("a", 0), tp("a", 2)), out.get("m1"));
    assertEquals(List.of(tp("a", 1), tp("b", 0), tp("b", 1), tp("b", 2), tp("b", 3)),
        out.get("m2"));
  }

  @Test
  void stickyKeepsEveryPartitionThatNeedNotMoveWhenAMemberJoins() {
    Map<String, Integer> topic = Map.of("t", 6);
    var first = Assignors.assign(AssignmentStrategy.COOPERATIVE_STICKY,
        subscribe(List.of("t"), "m1", "m2"), topic, Map.of());
    assertEquals(3, first.get("m1").size());
    var second = Assignors.assign(AssignmentStrategy.COOPERATIVE_STICKY,
        subscribe(List.of("t"), "m1", "m2", "m3"), topic, first);
    for (String m : List.of("m1", "m2", "m3")) {
      assertEquals(2, second.get(m).size(), second.toString());
    }
    assertTrue(first.get("m1").containsAll(second.get("m1")), second.toString());
    assertTrue(first.get("m2").containsAll(second.get("m2")), second.toString());
    // Only the two partitions the new member takes moved.
    assertEquals(2, moved(first, second));
  }

  @Test
  void stickyMovesOnlyTheLeaversPartitionsWhenAMemberLeaves() {
    Map<String, Integer> topic = Map.of("t", 6);
    Map<String, List<TopicPartition>> before = Map.of(
        "m1", List.of(tp("t", 0), tp("t", 1)), "m2", List.of(tp("t", 2), tp("t", 3)),
        "m3", List.of(tp("t", 4), tp("t", 5)));
    var after = Assignors.assign(AssignmentStrategy.COOPERATIVE_STICKY,
        subscribe(List.of("t"), "m1", "m3"), topic, before);
    assertTrue(after.get("m1").containsAll(before.get("m1")));
    assertTrue(after.get("m3").containsAll(before.get("m3")));
    assertEquals(3, after.get("m1").size());
    assertEquals(3, after.get("m3").size());
  }

  @Test
  void everyStrategyAssignsEachPartitionExactlyOnceAndStickyStaysBalanced() {
    long seed = System.nanoTime();
    System.out.println("AssignorsTest seed " + seed);
    Random random = new Random(seed);
    Map<String, Integer> topics = Map.of("x", 1 + random.nextInt(12), "y", 1 + random.nextInt(12));
    Map<String, List<TopicPartition>> previous = Map.of();
    for (int round = 0; round < 30; round++) {
      int members = 1 + random.nextInt(6);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < members; i++) {
        ids.add("m" + random.nextInt(8));
      }
      var subs = subscribe(List.of("x", "y"), ids.toArray(String[]::new));
      for (AssignmentStrategy s : AssignmentStrategy.values()) {
        var out = Assignors.assign(s, subs, topics, previous);
        Set<TopicPartition> seen = new HashSet<>();
        out.values().forEach(ps -> ps.forEach(p -> assertTrue(seen.add(p), "seed " + seed)));
        assertEquals(topics.get("x") + topics.get("y"), seen.size(), "seed " + seed);
        if (s == AssignmentStrategy.COOPERATIVE_STICKY) {
          int min = out.values().stream().mapToInt(List::size).min().orElseThrow();
          int max = out.values().stream().mapToInt(List::size).max().orElseThrow();
          assertTrue(max - min <= 1, "unbalanced " + out + " seed " + seed);
          previous = out;
        }
      }
    }
  }

  @Test
  void handOverWithholdsAPartitionUntilItsLiveOwnerHasRevokedIt() {
    Map<String, List<TopicPartition>> previous = Map.of(
        "m1", List.of(tp("t", 0), tp("t", 1), tp("t", 2)),
        "m2", List.of(tp("t", 3), tp("t", 4), tp("t", 5)),
        "gone", List.of(tp("t", 6)));
    Map<String, List<TopicPartition>> target = Map.of(
        "m1", List.of(tp("t", 0), tp("t", 1)), "m2", List.of(tp("t", 3), tp("t", 4)),
        "m3", List.of(tp("t", 2), tp("t", 5), tp("t", 6)));
    var first = Assignors.handOver(target, previous);
    assertEquals(new Assignors.Handover(List.of(tp("t", 0), tp("t", 1)), List.of(tp("t", 2))),
        first.get("m1"));
    assertEquals(new Assignors.Handover(List.of(tp("t", 3), tp("t", 4)), List.of(tp("t", 5))),
        first.get("m2"));
    // The departed member's partition moves at once; the live owners' partitions wait.
    assertEquals(new Assignors.Handover(List.of(tp("t", 6)), List.of()), first.get("m3"));

    // The follow-up rebalance, after m1 and m2 revoked: now nobody owns 2 and 5.
    Map<String, List<TopicPartition>> afterRevoke = new HashMap<>();
    first.forEach((m, h) -> afterRevoke.put(m, h.assigned()));
    var second = Assignors.handOver(target, afterRevoke);
    assertEquals(List.of(tp("t", 2), tp("t", 5), tp("t", 6)), second.get("m3").assigned());
    second.values().forEach(h -> assertEquals(List.of(), h.revoking()));
  }

  private static int moved(Map<String, List<TopicPartition>> before,
      Map<String, List<TopicPartition>> after) {
    int moved = 0;
    for (var e : after.entrySet()) {
      for (TopicPartition p : e.getValue()) {
        if (!before.getOrDefault(e.getKey(), List.of()).contains(p)) {
          moved++;
        }
      }
    }
    return moved;
  }
}
