package io.weir.connectors.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads topics back for tests, with Kafka's own consumer. */
public final class KafkaTopics {
  private KafkaTopics() {}

  /**
   * The values of a topic, from the start, in partition then offset order... as they arrive: it
   * polls until {@code atLeast} values came and then nothing new for two seconds, or a minute
   * passed.
   *
   * @param bootstrapServers the broker
   * @param topic the topic
   * @param isolation {@code read_committed} or {@code read_uncommitted}
   * @param atLeast how many values to wait for
   * @return the values (null for a tombstone)
   */
  public static List<String> values(String bootstrapServers, String topic, String isolation,
      int atLeast) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "verify-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      long quietSince = System.nanoTime();
      while (System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, String> r : records) {
          values.add(r.value());
        }
        if (!records.isEmpty()) {
          quietSince = System.nanoTime();
        } else if (values.size() >= atLeast
            && System.nanoTime() - quietSince > Duration.ofSeconds(2).toNanos()) {
          break;
        }
      }
    }
    return values;
  }
}
