package io.weir.connectors.kafka;

import io.weir.api.CborSerializable;
import java.util.Objects;

/**
 * A topic's partition.
 *
 * @param topic the topic, never null
 * @param partition the partition number, at least 0
 */
public record KafkaPartition(String topic, int partition) implements CborSerializable {
  /** Checks the values. */
  public KafkaPartition {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0) {
      throw new IllegalArgumentException("negative partition " + partition + " of " + topic);
    }
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
