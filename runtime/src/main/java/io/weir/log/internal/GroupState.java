package io.weir.log.internal;

import io.weir.log.api.AssignmentStrategy;
import io.weir.log.api.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable state of a consumer group, rebuilt from the coordinator's journal: the current
 * generation and its members with their assignments, and the committed offsets. Immutable.
 *
 * @param generation the membership generation, 0 before the first rebalance
 * @param strategy the members' assignment strategy, or null when there are none
 * @param leaderId the member that joined first, or null
 * @param members the members of the current generation, by member id
 * @param offsets the committed offsets, by partition
 * @param pending partitions whose offsets an open transaction holds, with its transactional id:
 *     a new owner of such a partition waits until the transaction ends
 */
public record GroupState(int generation, AssignmentStrategy strategy, String leaderId,
    Map<String, GroupState.Member> members, Map<TopicPartition, Committed> offsets,
    Map<TopicPartition, String> pending) {

  /** Copies the maps. */
  public GroupState {
    members = Map.copyOf(members);
    offsets = Map.copyOf(offsets);
    pending = Map.copyOf(pending);
  }

  static GroupState empty() {
    return new GroupState(0, null, null, Map.of(), Map.of(), Map.of());
  }

  /**
   * A member of one generation.
   *
   * @param memberId the id the coordinator gave it
   * @param clientId the name it joined with
   * @param topics its subscription
   * @param sessionTimeoutMs it is removed after this long without a heartbeat
   * @param assignment the partitions it owns in this generation
   * @param revoking partitions it owned before and must give up: it may still commit them in
   *     this generation, and rejoins once it has stopped reading them
   */
  public record Member(String memberId, String clientId, List<String> topics,
      long sessionTimeoutMs, List<TopicPartition> assignment, List<TopicPartition> revoking) {
    /** Copies the lists. */
    public Member {
      topics = List.copyOf(topics);
      assignment = List.copyOf(assignment);
      revoking = List.copyOf(revoking);
    }

    boolean mayCommit(TopicPartition tp) {
      return assignment.contains(tp) || revoking.contains(tp);
    }
  }

  /**
   * A committed offset.
   *
   * @param topicPartition the partition
   * @param offset the next offset to read
   * @param metadata the committer's metadata string
   * @param generation the group generation it was committed in (-1 for an admin reset)
   * @param timestamp when it was committed, epoch milliseconds
   */
  public record Committed(TopicPartition topicPartition, long offset, String metadata,
      int generation, long timestamp) {}

  GroupState withGeneration(int newGeneration, AssignmentStrategy newStrategy, String leader,
      List<Member> newMembers) {
    Map<String, Member> byId = new TreeMap<>();
    newMembers.forEach(m -> byId.put(m.memberId(), m));
    return new GroupState(newGeneration, newStrategy, leader, byId, offsets, pending);
  }

  GroupState withOffsets(List<Committed> committed) {
    Map<TopicPartition, Committed> next = new TreeMap<>(offsets);
    committed.forEach(c -> next.put(c.topicPartition(), c));
    return new GroupState(generation, strategy, leaderId, members, next, pending);
  }

  /** Marks partitions as held by the open transaction {@code transactionalId}. */
  GroupState withPending(String transactionalId, List<TopicPartition> partitions) {
    Map<TopicPartition, String> next = new TreeMap<>(pending);
    partitions.forEach(tp -> next.put(tp, transactionalId));
    return new GroupState(generation, strategy, leaderId, members, offsets, next);
  }

  /** Releases every partition held by {@code transactionalId}. */
  GroupState withoutPending(String transactionalId) {
    Map<TopicPartition, String> next = new TreeMap<>(pending);
    next.values().removeIf(transactionalId::equals);
    return new GroupState(generation, strategy, leaderId, members, offsets, next);
  }
}
