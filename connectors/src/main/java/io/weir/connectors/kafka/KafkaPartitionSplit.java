package io.weir.connectors.kafka;

import io.weir.stream.api.source.SourceSplit;
import java.util.Objects;

/**
 * The split of a {@link KafkaSource}: one topic-partition, with the offset of the next record to
 * read. Immutable; a reader's checkpoint returns new ones with their current offsets, so a
 * restored job resumes each partition exactly after the last record emitted before the
 * checkpoint.
 *
 * @param topic the topic, never null
 * @param partition the partition, at least 0
 * @param nextOffset the offset of the next record to read, at least 0
 * @param stoppingOffset in a bounded source, the offset to stop before (the partition's end at
 *     the start of the job); -1 in an unbounded one
 */
public record KafkaPartitionSplit(String topic, int partition, long nextOffset,
    long stoppingOffset) implements SourceSplit {

  /** Checks the values. */
  public KafkaPartitionSplit {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0 || nextOffset < 0 || stoppingOffset < -1) {
      throw new IllegalArgumentException("invalid split " + topic + "-" + partition + " at "
          + nextOffset + " stopping at " + stoppingOffset);
    }
  }

  @Override
  public String splitId() {
    return topic + "-" + partition;
  }

  /** The split's partition. */
  public KafkaPartition kafkaPartition() {
    return new KafkaPartition(topic, partition);
  }

  /** Whether the source is bounded and this split has nothing more to read. */
  public boolean finished() {
    return stoppingOffset >= 0 && nextOffset >= stoppingOffset;
  }

  /** The same split at another offset. */
  public KafkaPartitionSplit withNextOffset(long offset) {
    return new KafkaPartitionSplit(topic, partition, offset, stoppingOffset);
  }
}
