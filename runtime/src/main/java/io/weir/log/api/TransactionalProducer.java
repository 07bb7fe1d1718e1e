package io.weir.log.api;

/**
 * A producer whose records become visible to {@link IsolationLevel#READ_COMMITTED} consumers
 * all together or not at all, across partitions and topics — Kafka's transactions. Created by
 * {@link Log#newTransactionalProducer}, which fences every older producer of the same
 * transactional id and aborts what it left open.
 *
 * <pre>{@code
 * producer.beginTransaction();
 * producer.send(ProducerRecord.of("orders", "k", "v"));
 * producer.send(ProducerRecord.of("audit", "k", "v"));
 * producer.commitTransaction();   // or abortTransaction()
 * }</pre>
 *
 * <p>One transaction at a time; {@link #send} outside a transaction fails. The transaction
 * methods block. A {@link ProducerFencedException} means a newer instance has taken over: close
 * this one.
 */
public interface TransactionalProducer extends LogProducer {

  /** Starts a transaction. */
  void beginTransaction();

  /**
   * Sends what is buffered, waits for it, then commits: markers are written into every
   * partition the transaction wrote to.
   *
   * @throws io.weir.api.WeirException if a send of the transaction failed (abort then), or the
   *     producer was fenced
   */
  void commitTransaction();

  /** Waits for what is in flight, then aborts: the transaction's records are never visible. */
  void abortTransaction();

  /**
   * Makes consumer-group offsets part of the open transaction: they are committed to the group
   * if, and only if, the transaction commits. With a {@link IsolationLevel#READ_COMMITTED}
   * output reader this is the consume-transform-produce loop's exactly-once.
   *
   * @param groupId the consumer group whose offsets these are
   * @param nextOffsets per partition, the next offset to read (the last processed offset + 1)
   */
  void sendOffsetsToTransaction(String groupId, java.util.Map<TopicPartition, Long> nextOffsets);

  /**
   * Makes the positions of records read through {@link Log#committableSource} part of the open
   * transaction (each commits as offset + 1), checked like Kafka's transactional offset commit:
   * if the member that read them has left its group or no longer owns a partition, the offsets
   * are refused, the transaction can no longer commit, and this method throws — abort then.
   *
   * @param offsets committable offsets from a committable source, never null
   * @throws io.weir.api.WeirException naming the member or partition that was refused
   */
  void sendOffsetsToTransaction(java.util.Collection<? extends CommittableOffset> offsets);
}
