package io.weir.stream.internal.state;

import io.weir.stream.api.state.StateDescriptor;

/**
 * A state with one value per key (value, reducing and aggregating state): expiry applies to the
 * value as a whole.
 *
 * @param <V> the stored value type
 */
abstract class AbstractSingleValueState<V> extends AbstractHeapState<TtlValue<V>> {
  AbstractSingleValueState(StateDescriptor<?> descriptor, KeyedStateBackend backend, Ttl ttl) {
    super(descriptor, backend, ttl);
  }

  /**
   * The current key's value as a read sees it: an expired value is removed, and returned only
   * when the visibility allows; a live one is renewed when reads renew.
   */
  final V read() {
    TtlValue<V> v = entry();
    if (v == null) {
      return null;
    }
    long now = ttl.now();
    if (ttl.expired(v, now)) {
      clear();
      return ttl.returnsExpired() ? v.value() : null;
    }
    TtlValue<V> renewed = ttl.afterRead(v, now);
    if (renewed != v) {
      store(renewed);
    }
    return v.value();
  }

  /** The current key's value to build a write on: null when absent or expired. */
  final V liveValue(long now) {
    TtlValue<V> v = entry();
    return v == null || ttl.expired(v, now) ? null : v.value();
  }

  /** Stores {@code value} (never null) for the current key, stamped {@code now}. */
  final void write(V value, long now) {
    store(ttl.stamp(value, now));
  }

  @Override
  final int removeExpired(int keyGroup, Object key, long now, int limit) {
    TtlValue<V> v = table.get(keyGroup, key);
    if (v != null && ttl.expired(v, now)) {
      table.remove(keyGroup, key);
      return 1;
    }
    return 0;
  }
}
