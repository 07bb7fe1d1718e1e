package io.weir.stream.api.state;

import java.util.Objects;

/**
 * Describes a {@link MapState}.
 *
 * @param name unique within the operator, never null or blank
 * @param keyType the map keys' class, never null
 * @param valueType the values' class, never null
 * @param ttl time to live of each entry; null for never
 * @param <K> the map's key type
 * @param <V> the value type
 */
public record MapStateDescriptor<K, V>(
    String name, Class<K> keyType, Class<V> valueType, StateTtlConfig ttl)
    implements StateDescriptor<MapState<K, V>> {
  /** Checks the name and types. */
  public MapStateDescriptor {
    StateDescriptor.checkName(name);
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(valueType, "valueType");
  }

  /** A descriptor whose state never expires. */
  public static <K, V> MapStateDescriptor<K, V> of(String name, Class<K> keyType,
      Class<V> valueType) {
    return new MapStateDescriptor<>(name, keyType, valueType, null);
  }

  /** A copy with a time to live; null for never. */
  public MapStateDescriptor<K, V> withTtl(StateTtlConfig newTtl) {
    return new MapStateDescriptor<>(name, keyType, valueType, newTtl);
  }
}
