package io.weir.log.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Weir's partitioned durable log: topics of partitions of records with dense offsets. Obtain it
 * from {@code Weir.get(system).log()}. Thread-safe; no method blocks. Failed stages carry a
 * {@link io.weir.api.WeirException} subclass naming the problem ({@link UnknownTopicException},
 * {@link OffsetOutOfRangeException}, ...).
 */
public interface Log {

  /**
   * Creates a topic.
   *
   * @param name 1 to 249 letters, digits, '.', '_' or '-'
   * @param partitions at least 1
   * @param config topic configuration keys (see {@link TopicConfig}); unknown keys are refused
   * @return the created topic; fails with {@link TopicExistsException} or
   *     {@link InvalidTopicException}
   */
  CompletionStage<TopicDescription> createTopic(String name, int partitions,
      Map<String, String> config);

  /**
   * Deletes a topic and every record in it.
   *
   * @return the deleted topic's last description; fails with {@link UnknownTopicException}
   */
  CompletionStage<TopicDescription> deleteTopic(String name);

  /** Every topic, in name order. */
  CompletionStage<List<TopicDescription>> listTopics();

  /** One topic; fails with {@link UnknownTopicException}. */
  CompletionStage<TopicDescription> describeTopic(String name);

  /** The retained range and size of every partition of {@code topic}, in partition order. */
  CompletionStage<List<PartitionOffsets>> offsets(String topic);

  /**
   * A new producer. Close it to flush what it buffers.
   *
   * @param settings batching, buffering and in-flight limits, never null
   * @return the producer, never null
   */
  LogProducer newProducer(ProducerSettings settings);

  /**
   * A transactional producer for {@code transactionalId}. Blocks until the transaction
   * coordinator has given it a new epoch, which fences any older producer of that id, and has
   * aborted the transaction such a producer left open.
   *
   * @param transactionalId a name stable across restarts of the producing application
   * @param transactionTimeout a transaction still open after this long is aborted
   * @param settings batching settings; idempotence is always on
   * @return the producer, never null
   */
  TransactionalProducer newTransactionalProducer(String transactionalId,
      java.time.Duration transactionTimeout, ProducerSettings settings);

  /**
   * A flow that appends each record and emits where it landed, in input order. Backpressure:
   * at most {@link ProducerSettings#maxOutstanding()} records are unacknowledged at a time, so a
   * slow partition slows the stream. The flow's producer is closed when the stream completes.
   */
  Flow<ProducerRecord, RecordMetadata, NotUsed> producerFlow(ProducerSettings settings);

  /**
   * Records of one partition in offset order from {@code start}, then every record appended
   * later, as it is appended (the source never completes by itself). Demand bounds what is
   * fetched. Fails with {@link OffsetOutOfRangeException} when {@code start} (or a position
   * reached later) lies below the log start offset, as after retention.
   */
  default Source<ConsumerRecord, NotUsed> source(String topic, int partition,
      StartPosition start) {
    return source(topic, partition, start, IsolationLevel.READ_UNCOMMITTED);
  }

  /**
   * Like {@link #source(String, int, StartPosition)}, at an isolation level: a
   * {@link IsolationLevel#READ_COMMITTED} source never shows records of aborted transactions and
   * waits at the last stable offset until the oldest open transaction ends.
   */
  Source<ConsumerRecord, NotUsed> source(String topic, int partition, StartPosition start,
      IsolationLevel isolation);

  /**
   * Like {@link #source(String, int, StartPosition, IsolationLevel)}, but one element per fetch:
   * the records a fetch returned, in offset order (never an empty list) — as Kafka's
   * {@code poll} returns them. Moving records in lists costs less than one stream element each
   * for consumers that handle them in bulk.
   */
  Source<List<ConsumerRecord>, NotUsed> batchSource(String topic, int partition,
      StartPosition start, IsolationLevel isolation);

  /** Records of every partition of {@code topic} from {@code start}, merged; order per partition. */
  default Source<ConsumerRecord, NotUsed> source(String topic, StartPosition start) {
    return source(topic, start, IsolationLevel.READ_UNCOMMITTED);
  }

  /** Records of every partition of {@code topic} at an isolation level, merged. */
  Source<ConsumerRecord, NotUsed> source(String topic, StartPosition start,
      IsolationLevel isolation);
  /**
   * Records of the partitions the consumer group {@code settings.groupId()} assigns to this
   * member, each with the offset to commit after processing it. On materialization the source
   * joins the group and heartbeats; on each assignment it reads every newly assigned partition
   * from the group's committed offset (or, when there is none or retention removed it, from
   * {@link ConsumerGroupSettings#autoOffsetReset()}), and on revocation stops reading the
   * partitions that moved (the others are read throughout). Order holds per partition. Delivery
   * is at least once: records processed but not committed before a partition moves are read
   * again by its next owner.
   *
   * <p>The materialized {@link Control} stops the source and leaves the group; cancelling the
   * stream does the same. Fails with {@link UnknownTopicException} for a topic that does not
   * exist, or with the error of a partition that cannot be read.
   *
   * @param settings the group, its subscription and timings, never null
   * @return the source, never null; each materialization is one member of the group
   */
  Source<CommittableRecord, Control> committableSource(ConsumerGroupSettings settings);

  /**
   * Commits offsets in batches: gathers up to {@link CommitterSettings#maxBatch()} offsets or
   * for {@link CommitterSettings#maxInterval()}, keeps the highest per partition, and sends one
   * commit per member for the batch; emits {@code Done} once per committed batch. A commit the
   * group refuses because its partition moved in a rebalance ({@link RebalanceInProgressException},
   * {@link IllegalGenerationException}, {@link UnknownMemberException},
   * {@link PartitionNotAssignedException}) is logged and skipped: the records are read again by
   * the partition's owner. Other failures fail the stream.
   */
  Flow<CommittableOffset, Done, NotUsed> committerFlow(CommitterSettings settings);

  /** {@link #committerFlow} as a sink; its value completes when the stream ends. */
  Sink<CommittableOffset, CompletionStage<Done>> committerSink(CommitterSettings settings);

  /** The names of every consumer group ever used, in name order. */
  CompletionStage<List<String>> listGroups();

  /**
   * A consumer group's state, generation, members with their assignments, and per partition its
   * committed offset, log end offset and lag. Fails with {@link UnknownGroupException}.
   */
  CompletionStage<GroupDescription> describeGroup(String groupId);

  /**
   * Sets the committed offset of every partition of {@code topic} for {@code groupId} to where
   * {@code to} points now ({@link StartPosition#earliest()}, {@link StartPosition#latest()},
   * {@link StartPosition#timestamp}, or an exact {@link StartPosition#offset}). Fails with
   * {@link GroupNotEmptyException} while the group has members: stop its consumers first; with
   * {@link UnknownTopicException} for an unknown topic.
   */
  CompletionStage<Done> resetGroupOffsets(String groupId, String topic, StartPosition to);
}
