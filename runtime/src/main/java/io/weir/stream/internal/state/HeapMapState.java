package io.weir.stream.internal.state;

import io.weir.stream.api.state.MapState;
import io.weir.stream.api.state.MapStateDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link MapState} kept on the heap. Each entry has its own time to live (as in Flink). The
 * iterables returned are unmodifiable copies in insertion order; a read that finds an expired
 * entry removes it.
 */
final class HeapMapState<K, V> extends AbstractHeapState<Map<K, TtlValue<V>>>
    implements MapState<K, V> {
  HeapMapState(MapStateDescriptor<K, V> descriptor, KeyedStateBackend backend, Ttl ttl) {
    super(descriptor, backend, ttl);
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code key} is null
   */
  @Override
  public V get(K key) {
    checkKey(key);
    Map<K, TtlValue<V>> stored = entry();
    TtlValue<V> v = stored == null ? null : stored.get(key);
    if (v == null) {
      return null;
    }
    long now = ttl.now();
    if (ttl.expired(v, now)) {
      stored.remove(key);
      if (stored.isEmpty()) {
        clear();
      }
      return ttl.returnsExpired() ? v.value() : null;
    }
    TtlValue<V> renewed = ttl.afterRead(v, now);
    if (renewed != v) {
      stored.put(key, renewed);
    }
    return v.value();
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code key} or {@code value} is null
   */
  @Override
  public void put(K key, V value) {
    checkKey(key);
    checkValue(value);
    mapForWrite().put(key, ttl.stamp(value, ttl.now()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code entries}, or a key or value in it, is null; then
   *     the map is unchanged
   */
  @Override
  public void putAll(Map<K, V> entries) {
    Objects.requireNonNull(entries, () -> "the entries for " + describe() + " must not be null");
    entries.forEach((k, v) -> {
      checkKey(k);
      checkValue(v);
    });
    if (entries.isEmpty()) {
      return;
    }
    Map<K, TtlValue<V>> stored = mapForWrite();
    long now = ttl.now();
    entries.forEach((k, v) -> stored.put(k, ttl.stamp(v, now)));
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code key} is null
   */
  @Override
  public void remove(K key) {
    checkKey(key);
    Map<K, TtlValue<V>> stored = entry();
    if (stored != null && stored.remove(key) != null && stored.isEmpty()) {
      clear();
    }
  }

  /** {@inheritDoc} A read: an expired entry counts as {@link #get} would return it. */
  @Override
  public boolean contains(K key) {
    return get(key) != null;
  }

  @Override
  public Iterable<Map.Entry<K, V>> entries() {
    return readAll();
  }

  @Override
  public Iterable<K> keys() {
    List<Map.Entry<K, V>> all = readAll();
    List<K> keys = new ArrayList<>(all.size());
    all.forEach(e -> keys.add(e.getKey()));
    return Collections.unmodifiableList(keys);
  }

  @Override
  public Iterable<V> values() {
    List<Map.Entry<K, V>> all = readAll();
    List<V> values = new ArrayList<>(all.size());
    all.forEach(e -> values.add(e.getValue()));
    return Collections.unmodifiableList(values);
  }

  @Override
  public boolean isEmpty() {
    return readAll().isEmpty();
  }

  /** Every entry a read sees, applying expiry to each as {@link #get} does. */
  private List<Map.Entry<K, V>> readAll() {
    Map<K, TtlValue<V>> stored = entry();
    if (stored == null) {
      return List.of();
    }
    long now = ttl.now();
    List<Map.Entry<K, V>> result = new ArrayList<>(stored.size());
    for (Iterator<Map.Entry<K, TtlValue<V>>> it = stored.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<K, TtlValue<V>> e = it.next();
      TtlValue<V> v = e.getValue();
      if (ttl.expired(v, now)) {
        it.remove();
        if (!ttl.returnsExpired()) {
          continue;
        }
      } else {
        e.setValue(ttl.afterRead(v, now));
      }
      result.add(Map.entry(e.getKey(), v.value()));
    }
    if (stored.isEmpty()) {
      clear();
    }
    return Collections.unmodifiableList(result);
  }

  private Map<K, TtlValue<V>> mapForWrite() {
    Map<K, TtlValue<V>> stored = entry();
    if (stored == null) {
      stored = new LinkedHashMap<>();
      store(stored);
    }
    return stored;
  }

  private void checkKey(K key) {
    Objects.requireNonNull(key, () -> "a map key of " + describe() + " must not be null");
  }

  private void checkValue(V value) {
    Objects.requireNonNull(value, () -> "a map value of " + describe() + " must not be null");
  }

  @Override
  int removeExpired(int keyGroup, Object key, long now, int limit) {
    Map<K, TtlValue<V>> stored = table.get(keyGroup, key);
    if (stored == null) {
      return 0;
    }
    int removed = 0;
    for (Iterator<TtlValue<V>> it = stored.values().iterator(); it.hasNext() && removed < limit; ) {
      if (ttl.expired(it.next(), now)) {
        it.remove();
        removed++;
      }
    }
    if (stored.isEmpty()) {
      table.remove(keyGroup, key);
    }
    return removed;
  }
}
