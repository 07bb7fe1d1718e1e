package io.weir.log.api;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Appends records to topics in batches: records for one partition are gathered until
 * {@link ProducerSettings#batchBytes()} or {@link ProducerSettings#linger()}, then appended as
 * one batch. Records of one partition are stored in the order they were sent. Thread-safe.
 */
public interface LogProducer extends AutoCloseable {

  /**
   * Sends a record. Blocks while the producer buffers {@link ProducerSettings#bufferBytes()}
   * of unacknowledged records (a slow partition slows the sender; memory stays bounded).
   *
   * @param record the record, never null
   * @return where the record landed, once its batch is durable; fails with
   *     {@link UnknownTopicException}, {@link UnknownPartitionException} or
   *     {@link RecordTooLargeException} naming the problem
   */
  CompletionStage<RecordMetadata> send(ProducerRecord record);

  /** Sends every buffered batch now; completes when all records sent before are acknowledged. */
  CompletionStage<Done> flush();

  /** Flushes and waits for every outstanding record; then the producer refuses new records. */
  @Override
  void close();
}
