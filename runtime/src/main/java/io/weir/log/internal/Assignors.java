package io.weir.log.internal;

import io.weir.log.api.AssignmentStrategy;
import io.weir.log.api.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The assignment strategies as pure functions: from the members' subscriptions, the partition
 * counts of the topics and (for the sticky strategy) the previous assignment, to the partitions
 * of each member. Deterministic: the same input gives the same output, whatever the map order.
 */
public final class Assignors {
  private Assignors() {}

  /**
   * Assigns every partition of every subscribed topic to exactly one member subscribed to it.
   *
   * @param strategy the strategy
   * @param subscriptions each member's topics, by member id
   * @param partitionCounts partitions per topic; subscribed topics missing here are skipped
   * @param previous each member's partitions in the previous generation (may be empty)
   * @return every member's partitions, sorted, by member id (members with none included)
   */
  public static SortedMap<String, List<TopicPartition>> assign(AssignmentStrategy strategy,
      Map<String, List<String>> subscriptions, Map<String, Integer> partitionCounts,
      Map<String, List<TopicPartition>> previous) {
    SortedMap<String, List<TopicPartition>> out = switch (strategy) {
      case RANGE -> range(subscriptions, partitionCounts);
      case ROUND_ROBIN -> roundRobin(subscriptions, partitionCounts);
      case COOPERATIVE_STICKY -> sticky(subscriptions, partitionCounts, previous);
    };
    out.replaceAll((member, partitions) -> partitions.stream().sorted().toList());
    return out;
  }

  /** Per topic: partitions split into consecutive ranges, the first members getting one more. */
  static SortedMap<String, List<TopicPartition>> range(Map<String, List<String>> subscriptions,
      Map<String, Integer> partitionCounts) {
    SortedMap<String, List<TopicPartition>> out = empty(subscriptions);
    for (String topic : topics(subscriptions, partitionCounts)) {
      List<String> members = subscribers(subscriptions, topic);
      int count = partitionCounts.get(topic);
      int each = count / members.size();
      int extra = count % members.size();
      int next = 0;
      for (int i = 0; i < members.size(); i++) {
        int n = each + (i < extra ? 1 : 0);
        for (int k = 0; k < n; k++) {
          out.get(members.get(i)).add(new TopicPartition(topic, next++));
        }
      }
    }
    return out;
  }

  /** All partitions in order, dealt in turn to the members, skipping those not subscribed. */
  static SortedMap<String, List<TopicPartition>> roundRobin(
      Map<String, List<String>> subscriptions, Map<String, Integer> partitionCounts) {
    SortedMap<String, List<TopicPartition>> out = empty(subscriptions);
    List<String> members = new ArrayList<>(out.keySet());
    int turn = 0;
    for (TopicPartition tp : allPartitions(subscriptions, partitionCounts)) {
      while (!subscriptions.get(members.get(turn % members.size())).contains(tp.topic())) {
        turn++;
      }
      out.get(members.get(turn % members.size())).add(tp);
      turn++;
    }
    return out;
  }

  /**
   * Balanced and sticky: each member keeps its previous partitions (still subscribed, not
   * claimed by another) up to its fair share, then the unowned partitions go one by one to the
   * subscribed member holding the fewest. With equal subscriptions every member ends with
   * {@code floor} or {@code ceil} of partitions/members, and a member loses a partition only
   * when it held more than its share.
   */
  static SortedMap<String, List<TopicPartition>> sticky(Map<String, List<String>> subscriptions,
      Map<String, Integer> partitionCounts, Map<String, List<TopicPartition>> previous) {
    SortedMap<String, List<TopicPartition>> out = empty(subscriptions);
    if (out.isEmpty()) {
      return out;
    }
    Set<TopicPartition> all = new TreeSet<>(allPartitions(subscriptions, partitionCounts));
    int floor = all.size() / out.size();
    int ceilSlots = all.size() % out.size();
    Set<TopicPartition> taken = new HashSet<>();
    // Members that held most keep first, so the members allowed one more are the ones that had it.
    List<String> byPreviousSize = new ArrayList<>(out.keySet());
    byPreviousSize.sort(Comparator.comparingInt(
        (String m) -> -previous.getOrDefault(m, List.of()).size()).thenComparing(m -> m));
    for (String member : byPreviousSize) {
      List<TopicPartition> kept = out.get(member);
      for (TopicPartition tp : previous.getOrDefault(member, List.of()).stream().sorted().toList()) {
        boolean roomForOneMore = kept.size() < floor || (kept.size() == floor && ceilSlots > 0);
        if (!roomForOneMore) {
          break;
        }
        if (all.contains(tp) && subscriptions.get(member).contains(tp.topic()) && taken.add(tp)) {
          kept.add(tp);
          if (kept.size() == floor + 1) {
            ceilSlots--;
          }
        }
      }
    }
    for (TopicPartition tp : all) {
      if (taken.contains(tp)) {
        continue;
      }
      String least = null;
      for (String member : out.keySet()) {
        if (subscriptions.get(member).contains(tp.topic())
            && (least == null || out.get(member).size() < out.get(least).size())) {
          least = member;
        }
      }
      out.get(least).add(tp);
    }
    return out;
  }

  /**
   * What each member receives in a cooperative rebalance toward {@code target}.
   *
   * @param assigned the partitions it owns in the new generation
   * @param revoking the partitions it owned and must give up (it may still commit them)
   */
  public record Handover(List<TopicPartition> assigned, List<TopicPartition> revoking) {}

  /**
   * Turns a target assignment into one generation of the cooperative protocol: a partition that
   * moves from a member still in the group to another is withheld from its new owner and
   * revoked from the old one (it goes to its new owner in the follow-up rebalance, once the old
   * owner has stopped reading it); a partition whose previous owner is gone, or that had none,
   * is handed over at once.
   *
   * @param target every present member's target partitions, by member id
   * @param previous every previous member's partitions in the last generation
   * @return every present member's handover, by member id
   */
  public static SortedMap<String, Handover> handOver(Map<String, List<TopicPartition>> target,
      Map<String, List<TopicPartition>> previous) {
    Map<TopicPartition, String> previousOwner = new HashMap<>();
    previous.forEach((member, partitions) -> partitions.forEach(tp ->
        previousOwner.put(tp, member)));
    SortedMap<String, Handover> out = new TreeMap<>();
    target.forEach((member, partitions) -> {
      List<TopicPartition> assigned = partitions.stream().filter(tp -> {
        String owner = previousOwner.get(tp);
        return owner == null || owner.equals(member) || !target.containsKey(owner);
      }).sorted().toList();
      List<TopicPartition> revoking = previous.getOrDefault(member, List.of()).stream()
          .filter(tp -> !partitions.contains(tp)).sorted().toList();
      out.put(member, new Handover(assigned, revoking));
    });
    return out;
  }

  private static SortedMap<String, List<TopicPartition>> empty(
      Map<String, List<String>> subscriptions) {
    SortedMap<String, List<TopicPartition>> out = new TreeMap<>();
    subscriptions.keySet().forEach(m -> out.put(m, new ArrayList<>()));
    return out;
  }

  private static Set<String> topics(Map<String, List<String>> subscriptions,
      Map<String, Integer> partitionCounts) {
    Set<String> topics = new TreeSet<>();
    subscriptions.values().forEach(topics::addAll);
    topics.retainAll(partitionCounts.keySet());
    return topics;
  }

  private static List<String> subscribers(Map<String, List<String>> subscriptions, String topic) {
    return subscriptions.entrySet().stream().filter(e -> e.getValue().contains(topic))
        .map(Map.Entry::getKey).sorted().toList();
  }

  private static List<TopicPartition> allPartitions(Map<String, List<String>> subscriptions,
      Map<String, Integer> partitionCounts) {
    List<TopicPartition> all = new ArrayList<>();
    for (String topic : topics(subscriptions, partitionCounts)) {
      for (int p = 0; p < partitionCounts.get(topic); p++) {
        all.add(new TopicPartition(topic, p));
      }
    }
    return all;
  }
}
