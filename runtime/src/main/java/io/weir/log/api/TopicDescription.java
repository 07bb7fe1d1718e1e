package io.weir.log.api;

import io.weir.api.CborSerializable;
import java.util.Objects;

/**
 * A topic as the registry knows it.
 *
 * @param name the topic's name, never null
 * @param partitions the number of partitions, at least 1
 * @param config the topic's configuration, never null
 * @param createdAt when the topic was created, epoch milliseconds
 */
public record TopicDescription(String name, int partitions, TopicConfig config, long createdAt)
    implements CborSerializable {
  /** Checks the fields. */
  public TopicDescription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    if (partitions < 1) {
      throw new InvalidTopicException("a topic needs at least one partition, got " + partitions);
    }
  }
}
