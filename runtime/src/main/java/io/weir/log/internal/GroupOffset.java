package io.weir.log.internal;

import io.weir.log.api.CommittableOffset;
import io.weir.log.api.TopicPartition;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A committable offset of a record read through a group member: it knows the member (the
 * local {@link GroupConsumer} actor) that commits it with its current member id and generation.
 *
 * @param memberId the member id the record was read under: a transaction that carries the
 *     offset is refused if the member no longer owns the partition
 * @param consumer the group member that read the record; local, never serialized
 * @param memberStopped completes when that member has left its group
 */
record GroupOffset(String groupId, TopicPartition topicPartition, long offset, String metadata,
    String memberId, ActorRef<GroupConsumer.Command> consumer,
    CompletableFuture<Done> memberStopped) implements CommittableOffset {

  GroupOffset {
    Objects.requireNonNull(metadata, "metadata");
  }

  @Override
  public CommittableOffset withMetadata(String newMetadata) {
    return new GroupOffset(groupId, topicPartition, offset, newMetadata, memberId, consumer,
        memberStopped);
  }
}
