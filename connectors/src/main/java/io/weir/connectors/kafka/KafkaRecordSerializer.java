package io.weir.connectors.kafka;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns an element into the Kafka record a {@link KafkaSink} writes. Called on the writing
 * subtask's thread, one element at a time; it must not block.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface KafkaRecordSerializer<T> {
  /**
   * Serializes one element.
   *
   * @param element the element, never null
   * @param defaultTopic the sink's topic; null when the sink has none (then the record must
   *     name its own)
   * @param timestamp the element's event time in epoch milliseconds; null when it has none
   * @return the record: its topic, and optionally partition, timestamp, key and headers; never
   *     null
   * @throws Exception when the element cannot be written; the job fails
   */
  ProducerRecord<byte[], byte[]> serialize(T element, String defaultTopic, Long timestamp)
      throws Exception;

  /**
   * Records to the sink's topic with a value, no key, and the element's event time.
   *
   * @param value the value's bytes of an element, never null
   * @param <T> the element type
   */
  static <T> KafkaRecordSerializer<T> valueOnly(Function<? super T, byte[]> value) {
    return keyValue(element -> null, value);
  }

  /**
   * Records to the sink's topic with a key (which picks the partition) and a value.
   *
   * @param key the key's bytes of an element (null for none), never null
   * @param value the value's bytes of an element (null for a tombstone), never null
   * @param <T> the element type
   */
  static <T> KafkaRecordSerializer<T> keyValue(Function<? super T, byte[]> key,
      Function<? super T, byte[]> value) {
    return (element, topic, timestamp) -> {
      if (topic == null) {
        throw new IllegalStateException("the Kafka sink has no topic, and this serializer"
            + " does not name one per record");
      }
      return new ProducerRecord<>(topic, null, timestamp, key.apply(element),
          value.apply(element));
    };
  }

  /** Texts as UTF-8 values, no key. */
  static KafkaRecordSerializer<String> utf8Values() {
    return valueOnly(s -> s.getBytes(StandardCharsets.UTF_8));
  }
}
