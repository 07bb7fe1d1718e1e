package io.weir.connectors.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how a {@link KafkaSink} writes; built by {@link KafkaSink.Builder}.
 *
 * @param bootstrapServers the brokers, {@code host:port,...}, never null
 * @param topic the topic records go to unless the serializer names another; may be null
 * @param delivery at least once or exactly once, never null
 * @param transactionalIdPrefix the prefix of the sink's transactional ids, unique to this sink
 *     among everything writing to the cluster; required for exactly once
 * @param transactionTimeout the producer's {@code transaction.timeout.ms}: it must exceed the
 *     checkpoint interval plus the time a restore takes, or Kafka aborts transactions that a
 *     completed checkpoint still has to commit; never null
 * @param properties further Kafka producer properties (security, batching), never null
 */
public record KafkaSinkSettings(String bootstrapServers, String topic, DeliveryGuarantee delivery,
    String transactionalIdPrefix, Duration transactionTimeout, Map<String, String> properties) {

  /** Checks the settings. */
  public KafkaSinkSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("a Kafka sink needs bootstrap servers");
    }
    Objects.requireNonNull(delivery, "delivery");
    if (delivery == DeliveryGuarantee.EXACTLY_ONCE
        && (transactionalIdPrefix == null || transactionalIdPrefix.isBlank())) {
      throw new IllegalArgumentException("an exactly-once Kafka sink needs a transactional id"
          + " prefix, unique to the sink");
    }
    Objects.requireNonNull(transactionTimeout, "transactionTimeout");
    if (transactionTimeout.isNegative() || transactionTimeout.isZero()) {
      throw new IllegalArgumentException("the transaction timeout must be positive");
    }
    properties = Map.copyOf(properties);
  }
}
