package io.weir.connectors.kafka;

import java.nio.charset.StandardCharsets;

/**
 * Turns a record read from Kafka into the element a {@link KafkaSource} emits. Called on the
 * reading subtask's thread, one record at a time; it must not block. A deserializer that throws
 * fails the job with a {@link KafkaSourceException} naming the record's topic, partition and
 * offset, unless the source has a dead-letter topic (see
 * {@link KafkaSource.Builder#deadLetterTopic}).
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface KafkaRecordDeserializer<T> {
  /**
   * Deserializes one record.
   *
   * @param record the record, never null
   * @return the element, never null
   * @throws Exception when the record cannot be read
   */
  T deserialize(KafkaRecord record) throws Exception;

  /** The records as they are: key, value, headers, topic, partition, offset and timestamp. */
  static KafkaRecordDeserializer<KafkaRecord> records() {
    return record -> record;
  }

  /**
   * The value as UTF-8 text. A tombstone (null value) cannot be an element, so it is an error
   * of the record.
   */
  static KafkaRecordDeserializer<String> utf8Values() {
    return record -> {
      if (record.value() == null) {
        throw new IllegalArgumentException("the record has no value (a tombstone)");
      }
      return new String(record.value(), StandardCharsets.UTF_8);
    };
  }
}
