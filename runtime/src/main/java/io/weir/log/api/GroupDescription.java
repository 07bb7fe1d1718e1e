package io.weir.log.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A consumer group as its coordinator knows it, with the lag of every partition it has a
 * committed offset for or that is assigned to a member.
 *
 * @param groupId the group, never null
 * @param state {@code Empty}, {@code PreparingRebalance}, {@code CompletingRebalance} or
 *     {@code Stable}
 * @param generation the membership generation; it increments on every rebalance
 * @param strategy the group's assignment strategy, or null when it has no members
 * @param members the members in member-id order, never null
 * @param partitions one line per partition in topic and partition order, never null
 */
public record GroupDescription(String groupId, String state, int generation,
    AssignmentStrategy strategy, List<Member> members, List<PartitionLag> partitions) {

  /** Copies the lists. */
  public GroupDescription {
    Objects.requireNonNull(groupId, "groupId");
    members = List.copyOf(members);
    partitions = List.copyOf(partitions);
  }

  /**
   * A member of the group.
   *
   * @param memberId the id the coordinator gave it, never null
   * @param clientId the name it joined with, never null
   * @param topics its subscription, never null
   * @param assignment the partitions it owns in the current generation, never null
   * @param sessionTimeout it is removed after this long without a heartbeat, never null
   */
  public record Member(String memberId, String clientId, List<String> topics,
      List<TopicPartition> assignment, Duration sessionTimeout) {
    /** Copies the lists. */
    public Member {
      topics = List.copyOf(topics);
      assignment = List.copyOf(assignment);
    }
  }

  /**
   * The progress of the group on one partition.
   *
   * @param topicPartition the partition, never null
   * @param committedOffset the committed offset (the next to read), or -1 when none
   * @param metadata the metadata committed with it, never null
   * @param logEndOffset the partition's log end offset
   * @param lag {@code logEndOffset - committedOffset}, or the records from the log start when
   *     nothing is committed
   * @param memberId the owning member, or null when unassigned
   */
  public record PartitionLag(TopicPartition topicPartition, long committedOffset,
      String metadata, long logEndOffset, long lag, String memberId) {}
}
