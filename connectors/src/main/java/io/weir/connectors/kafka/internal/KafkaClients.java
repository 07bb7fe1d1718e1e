package io.weir.connectors.kafka.internal;

import io.weir.connectors.kafka.KafkaSourceSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The configurations of the Kafka clients the source uses. */
final class KafkaClients {
  private KafkaClients() {}

  /** The admin client's: the bootstrap servers and the user's properties. */
  static Map<String, Object> admin(String bootstrapServers, Map<String, String> properties) {
    Map<String, Object> config = new HashMap<>();
    // Only what an admin client knows, so it does not warn of unknown consumer keys.
    properties.forEach((k, v) -> {
      if (AdminClientConfig.configNames().contains(k)) {
        config.put(k, v);
      }
    });
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /**
   * The reader's consumer: assigned partitions (no subscription), no auto-commit, bytes, and
   * {@code read_committed} unless the user says otherwise. An offset out of range (deleted by
   * retention) is an error rather than a silent jump.
   */
  static Map<String, Object> consumer(KafkaSourceSettings settings, String clientId) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    config.putAll(settings.properties());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    if (settings.groupId() != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    } else {
      config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    }
    return config;
  }

  /** The isolation level the source reads with. */
  static org.apache.kafka.common.IsolationLevel isolation(KafkaSourceSettings settings) {
    return "read_uncommitted".equalsIgnoreCase(settings.properties()
        .getOrDefault(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))
        ? org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED
        : org.apache.kafka.common.IsolationLevel.READ_COMMITTED;
  }
}
