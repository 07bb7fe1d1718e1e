package io.weir.connectors.kafka;

import io.weir.api.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One record read from Kafka, as {@link KafkaRecordDeserializer#records()} hands it on: where it
 * was (topic, partition, offset), its timestamp, key, value and headers. Immutable, apart from
 * the byte arrays, which are shared and must not be changed.
 *
 * @param topic the topic, never null
 * @param partition the partition, at least 0
 * @param offset the record's offset in its partition, at least 0
 * @param timestamp the record's timestamp in epoch milliseconds (create or log-append time, as
 *     the topic says); -1 when the record has none
 * @param key the key's bytes; may be null
 * @param value the value's bytes; may be null (a tombstone)
 * @param headers the headers in order, never null
 */
public record KafkaRecord(String topic, int partition, long offset, long timestamp, byte[] key,
    byte[] value, List<Header> headers) implements CborSerializable {

  /** Checks the position and copies the headers. */
  public KafkaRecord {
    Objects.requireNonNull(topic, "topic");
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException("negative partition or offset: " + partition + "@"
          + offset);
    }
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** The key as UTF-8 text; null when there is no key. */
  public String keyAsString() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  /** The value as UTF-8 text; null for a tombstone. */
  public String valueAsString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** Where the record was, {@code topic-partition@offset}, for messages. */
  public String position() {
    return topic + "-" + partition + "@" + offset;
  }

  /** Equal when every component is, the byte arrays by their contents. */
  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaRecord r && topic.equals(r.topic) && partition == r.partition
        && offset == r.offset && timestamp == r.timestamp && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value) && headers.equals(r.headers);
  }

  /** A hash of the components, the byte arrays by their contents. */
  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, timestamp, Arrays.hashCode(key),
        Arrays.hashCode(value), headers);
  }

  /** The position, timestamp and sizes, not the bytes. */
  @Override
  public String toString() {
    return "KafkaRecord[" + position() + ", timestamp " + timestamp + ", key "
        + (key == null ? "null" : key.length + " bytes") + ", value "
        + (value == null ? "null" : value.length + " bytes") + ", " + headers.size()
        + " headers]";
  }

  /**
   * One header of a record.
   *
   * @param key the header's name, never null
   * @param value its bytes; may be null
   */
  public record Header(String key, byte[] value) implements CborSerializable {
    /** Checks the name. */
    public Header {
      Objects.requireNonNull(key, "key");
    }

    /** Equal when the names are and the values have the same contents. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    /** A hash of the name and the value's contents. */
    @Override
    public int hashCode() {
      return 31 * key.hashCode() + Arrays.hashCode(value);
    }
  }
}
