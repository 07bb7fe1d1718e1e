package io.weir.log.internal;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.weir.api.CborSerializable;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.Header;
import io.weir.log.api.TimestampType;
import java.util.Arrays;
import java.util.List;

/**
 * A record as a partition stores it: its offset, its final timestamp (create or append time, per
 * the topic), key, value and headers. Written as a CBOR array, so a batch repeats no field names.
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
public record StoredRecord(long offset, long timestamp, byte[] key, byte[] value,
    List<Header> headers) implements CborSerializable {

  /** Copies the headers. */
  public StoredRecord {
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** The bytes counted for this record in size limits. */
  public int sizeInBytes() {
    int size = 24 + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Header h : headers) {
      size += 8 + h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    return size;
  }

  /** This record as a consumer sees it. */
  public ConsumerRecord toConsumerRecord(String topic, int partition, TimestampType type) {
    return new ConsumerRecord(topic, partition, offset, timestamp, type, key, value, headers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredRecord r && offset == r.offset && timestamp == r.timestamp
        && Arrays.equals(key, r.key) && Arrays.equals(value, r.value) && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + Arrays.hashCode(key);
  }

  @Override
  public String toString() {
    return "StoredRecord[offset=" + offset + ", timestamp=" + timestamp + "]";
  }
}
