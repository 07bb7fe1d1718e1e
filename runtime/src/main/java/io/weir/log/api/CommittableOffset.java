package io.weir.log.api;

/**
 * The position of one consumed record, to be committed to its consumer group through a
 * {@link Log#committerFlow committer}. Committing it stores {@code offset() + 1}, the next offset
 * to read, as Kafka does. Immutable and thread-safe.
 */
public interface CommittableOffset {
  /** The consumer group, never null. */
  String groupId();

  /** The record's partition, never null. */
  TopicPartition topicPartition();

  /** The record's offset. */
  long offset();

  /** The metadata string committed with the offset, never null (empty by default). */
  String metadata();

  /** A copy that commits {@code metadata} with the offset (never null). */
  CommittableOffset withMetadata(String metadata);
}
