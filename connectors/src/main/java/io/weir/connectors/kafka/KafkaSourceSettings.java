package io.weir.connectors.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link KafkaSource} reads and how; built by {@link KafkaSource.Builder}.
 *
 * @param bootstrapServers the brokers, {@code host:port,...}, never null
 * @param topics the topics, by name; empty when {@code topicPattern} is set
 * @param topicPattern a regular expression that topic names must match entirely; null when
 *     {@code topics} are given
 * @param groupId the consumer group offsets are committed to (and read from for
 *     {@link StartingOffsets#committed()}); null for none
 * @param startingOffsets where partitions without a checkpointed position start, never null
 * @param bounded whether the source stops at the partitions' ends as of the start of the job
 * @param discoveryInterval how often new partitions (and topics matching the pattern) are
 *     looked for; zero for only at the start. Unused when bounded
 * @param properties further Kafka consumer properties (security, fetch sizes,
 *     {@code isolation.level}), never null
 * @param deadLetterTopic where records that fail to deserialize go, with the reason in their
 *     headers; null to fail the job instead
 */
public record KafkaSourceSettings(String bootstrapServers, List<String> topics,
    String topicPattern, String groupId, StartingOffsets startingOffsets, boolean bounded,
    Duration discoveryInterval, Map<String, String> properties, String deadLetterTopic) {

  /** Checks the settings. */
  public KafkaSourceSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("a Kafka source needs bootstrap servers");
    }
    topics = List.copyOf(topics);
    if (topics.isEmpty() == (topicPattern == null)) {
      throw new IllegalArgumentException("a Kafka source reads either topics by name or a"
          + " topic pattern, exactly one of them");
    }
    if (topicPattern != null) {
      Pattern.compile(topicPattern); // a bad pattern fails here, with its position
    }
    Objects.requireNonNull(startingOffsets, "startingOffsets");
    if (startingOffsets instanceof StartingOffsets.Committed && groupId == null) {
      throw new IllegalArgumentException("starting at the committed offsets needs a group id");
    }
    Objects.requireNonNull(discoveryInterval, "discoveryInterval");
    if (discoveryInterval.isNegative()) {
      throw new IllegalArgumentException("negative discovery interval " + discoveryInterval);
    }
    properties = Map.copyOf(properties);
  }

  /** Whether a topic is read by this source. */
  public boolean reads(String topic) {
    return topicPattern == null ? topics.contains(topic)
        : Pattern.compile(topicPattern).matcher(topic).matches();
  }
}
