package io.weir.log.api;

import io.weir.api.CborSerializable;
import java.util.Comparator;
import java.util.Objects;

/**
 * One partition of one topic.
 *
 * @param topic the topic, never null
 * @param partition the partition, at least 0
 */
public record TopicPartition(String topic, int partition)
    implements CborSerializable, Comparable<TopicPartition> {
  private static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  /** Checks the fields. */
  public TopicPartition {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, was " + partition);
    }
  }

  /** Orders by topic, then partition. */
  @Override
  public int compareTo(TopicPartition other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return topic + "/" + partition;
  }
}
