package io.weir.log.api;

import io.weir.api.CborSerializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record header: a key and a byte value, as in Kafka.
 *
 * @param key the header's name, never null
 * @param value the header's value, may be null
 */
public record Header(String key, byte[] value) implements CborSerializable {
  /** Checks that the key is present. */
  public Header {
    Objects.requireNonNull(key, "header key");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
  }

  @Override
  public int hashCode() {
    return 31 * key.hashCode() + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Header[" + key + "=" + (value == null ? "null" : value.length + " bytes") + "]";
  }
}
