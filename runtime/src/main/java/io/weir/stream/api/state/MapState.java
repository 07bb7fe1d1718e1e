package io.weir.stream.api.state;

import java.util.Map;

/**
 * A map per key.
 *
 * @param <K> the map's key type (not the stream's key)
 * @param <V> the value type
 */
public interface MapState<K, V> extends State {
  /** The value under {@code key} for the current stream key; null when absent. */
  V get(K key);

  /** Puts {@code value} (never null) under {@code key} (never null). */
  void put(K key, V value);

  /** Puts every entry of {@code entries}, never null. */
  void putAll(Map<K, V> entries);

  /** Removes the value under {@code key}; nothing when absent. */
  void remove(K key);

  /** Whether a value is under {@code key}. */
  boolean contains(K key);

  /** The entries of the current stream key, never null; a view valid only during the call. */
  Iterable<Map.Entry<K, V>> entries();

  /** The keys of the current stream key's map, never null. */
  Iterable<K> keys();

  /** The values of the current stream key's map, never null. */
  Iterable<V> values();

  /** Whether the current stream key's map is empty. */
  boolean isEmpty();
}
