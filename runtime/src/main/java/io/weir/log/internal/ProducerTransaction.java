package io.weir.log.internal;

import io.weir.api.WeirException;
import java.time.Duration;
import io.weir.log.api.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * A transactional producer's side of the protocol with its {@link TransactionCoordinator}: the
 * producer's identity at its epoch, whether a transaction is open, the partitions it has
 * registered, and the first send that failed in it. Methods block, as the producer's
 * transaction methods promise.
 */
final class ProducerTransaction {
  private final String transactionalId;
  private final EntityRef<TransactionCoordinator.Command> coordinator;
  private final Duration timeout;
  private final ProducerIdAllocator.ProducerIdentity identity;
  private final Set<String> partitions = ConcurrentHashMap.newKeySet();
  private volatile boolean open;
  private volatile Throwable failure;

  /** Starts the producer at a new epoch, which fences older instances of the id. */
  ProducerTransaction(ActorSystem<?> system, String transactionalId, Duration transactionTimeout,
      Duration timeout) {
    this.transactionalId = transactionalId;
    this.coordinator = TransactionCoordinator.ref(system, transactionalId);
    this.timeout = timeout;
    this.identity = Blocking.await(coordinator.askWithStatus(
            (ActorRef<StatusReply<ProducerIdAllocator.ProducerIdentity>> r) ->
                new TransactionCoordinator.InitProducer(transactionTimeout.toMillis(), r),
            timeout),
        timeout, "starting transactional producer '" + transactionalId + "'");
  }

  /** The producer id and epoch the coordinator gave. */
  ProducerIdAllocator.ProducerIdentity identity() {
    return identity;
  }

  void begin() {
    if (open) {
      throw new WeirException("a transaction of '" + transactionalId + "' is already open");
    }
    failure = null;
    open = true;
  }

  /** Registers a partition with the coordinator before the transaction's first write to it. */
  void register(String topic, int partition) {
    if (!open) {
      throw new WeirException("transactional producer '" + transactionalId
          + "': call beginTransaction() before send()");
    }
    String key = PartitionEntity.entityId(topic, partition);
    if (partitions.contains(key)) {
      return;
    }
    Blocking.await(coordinator.askWithStatus(
            (ActorRef<StatusReply<Done>> r) -> new TransactionCoordinator.AddPartitions(
                identity.producerId(), identity.epoch(), List.of(key), r), timeout),
        timeout, "adding " + key + " to the transaction");
    partitions.add(key);
  }

  /**
   * Adds consumer-group offsets to the open transaction; with a {@code memberId}, the group
   * first checks that the member still owns every partition. A refusal fails the transaction.
   */
  void addOffsets(String groupId, String memberId, Map<TopicPartition, Long> nextOffsets) {
    if (!open) {
      throw new WeirException("transactional producer '" + transactionalId
          + "': call beginTransaction() before sendOffsetsToTransaction()");
    }
    List<GroupCoordinator.OffsetCommit> offsets = nextOffsets.entrySet().stream()
        .map(e -> new GroupCoordinator.OffsetCommit(e.getKey(), e.getValue(), ""))
        .toList();
    try {
      Blocking.await(coordinator.askWithStatus(
              (ActorRef<StatusReply<Done>> r) -> new TransactionCoordinator.AddOffsets(
                  identity.producerId(), identity.epoch(), groupId, memberId, offsets, r),
              timeout),
          timeout, "adding offsets of group '" + groupId + "' to the transaction");
    } catch (WeirException e) {
      failed(e);
      throw e;
    }
  }

  /** Notes that a send of the open transaction failed, so it cannot commit. */
  void failed(Throwable error) {
    failure = error;
  }

  /** Waits for {@code flush}, then commits or aborts through the coordinator. */
  void end(boolean commit, Supplier<CompletionStage<Done>> flush) {
    if (!open) {
      throw new WeirException("no transaction of '" + transactionalId + "' is open");
    }
    Blocking.await(flush.get(), timeout, "sending the transaction's records");
    if (commit && failure != null) {
      throw new WeirException("the transaction of '" + transactionalId + "' cannot commit: a "
          + "send failed (" + failure.getMessage() + "); abort it", failure);
    }
    Blocking.await(coordinator.askWithStatus(
            (ActorRef<StatusReply<Done>> r) -> new TransactionCoordinator.EndTransaction(
                identity.producerId(), identity.epoch(), commit, r), timeout),
        timeout, (commit ? "committing" : "aborting") + " the transaction");
    partitions.clear();
    open = false;
  }
}
