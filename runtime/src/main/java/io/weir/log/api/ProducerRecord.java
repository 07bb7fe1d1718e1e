package io.weir.log.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A record to append to a topic. Immutable; the {@code withXxx} methods return copies.
 *
 * @param topic the topic's name, never null
 * @param partition the partition to write to, or null to choose by the key's murmur2 hash (as
 *     Kafka's default partitioner does), or by a sticky choice when the key is null
 * @param key the key, may be null
 * @param value the value, may be null (a tombstone in a compacted topic)
 * @param headers the headers, never null (empty when none)
 * @param timestamp the create time in epoch milliseconds, or null for the time of sending
 */
public record ProducerRecord(
    String topic, Integer partition, byte[] key, byte[] value, List<Header> headers,
    Long timestamp) {

  /** Checks the topic and partition and copies the headers. */
  public ProducerRecord {
    Objects.requireNonNull(topic, "topic");
    if (partition != null && partition < 0) {
      throw new IllegalArgumentException("partition must be >= 0, was " + partition);
    }
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** A record with a key and a value, partitioned by the key. */
  public static ProducerRecord of(String topic, byte[] key, byte[] value) {
    return new ProducerRecord(topic, null, key, value, List.of(), null);
  }

  /** A record of UTF-8 strings, partitioned by the key; {@code key} may be null. */
  public static ProducerRecord of(String topic, String key, String value) {
    return of(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** A copy bound to one partition. */
  public ProducerRecord withPartition(int p) {
    return new ProducerRecord(topic, p, key, value, headers, timestamp);
  }

  /** A copy with a create time in epoch milliseconds. */
  public ProducerRecord withTimestamp(long epochMillis) {
    return new ProducerRecord(topic, partition, key, value, headers, epochMillis);
  }

  /** A copy with these headers. */
  public ProducerRecord withHeaders(List<Header> h) {
    return new ProducerRecord(topic, partition, key, value, h, timestamp);
  }

  /** The bytes this record occupies in a batch, as counted for limits and batching. */
  public int sizeInBytes() {
    int size = 24 + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Header h : headers) {
      size += 8 + h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return size;
  }
}
