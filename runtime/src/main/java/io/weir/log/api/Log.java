package io.weir.log.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;
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
}
