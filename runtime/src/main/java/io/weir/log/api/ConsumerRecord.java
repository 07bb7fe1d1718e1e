package io.weir.log.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A record read from a partition.
 *
 * @param topic the topic, never null
 * @param partition the partition
 * @param offset the record's offset in its partition
 * @param timestamp epoch milliseconds: the create time or the log-append time, per
 *     {@code timestampType}
 * @param timestampType what {@code timestamp} means
 * @param key the key, may be null
 * @param value the value, may be null (a tombstone)
 * @param headers the headers, never null
 */
public record ConsumerRecord(
    String topic, int partition, long offset, long timestamp, TimestampType timestampType,
    byte[] key, byte[] value, List<Header> headers) {

  /** The key as UTF-8 text, or null. */
  public String keyString() {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }

  /** The value as UTF-8 text, or null. */
  public String valueString() {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }
}
