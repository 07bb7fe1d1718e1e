package io.weir.stream.internal.state;

import io.weir.stream.api.state.State;
import io.weir.stream.api.state.StateDescriptor;

/**
 * The common part of the heap states: the table they keep their entries in, the current key of
 * their backend, and their time to live.
 *
 * @param <E> the entry type stored per key
 */
abstract class AbstractHeapState<E> implements State {
  final StateDescriptor<?> descriptor;
  final KeyedStateBackend backend;
  final StateTable<E> table;
  final Ttl ttl;

  /** Creates the state; its entries are copied on write after a checkpoint froze them. */
  AbstractHeapState(StateDescriptor<?> descriptor, KeyedStateBackend backend, Ttl ttl) {
    this.descriptor = descriptor;
    this.backend = backend;
    this.table = new StateTable<>(backend.keyGroupRange(),
        entry -> StateCopies.copyEntry(entry, descriptor.name()));
    this.ttl = ttl;
  }

  /** The current key's entry; null when there is none. */
  final E entry() {
    Object key = backend.requireCurrentKey();
    return table.get(backend.currentKeyGroup(), key);
  }

  /** Stores the current key's entry; null removes it. */
  final void store(E entry) {
    Object key = backend.requireCurrentKey();
    table.put(backend.currentKeyGroup(), key, entry);
  }

  @Override
  public final void clear() {
    store(null);
  }

  /**
   * Removes expired values of {@code key}, for incremental cleanup.
   *
   * @param limit the most values to remove, at least 1
   * @return how many were removed
   */
  abstract int removeExpired(int keyGroup, Object key, long now, int limit);

  /** The state's name in error messages. */
  final String describe() {
    return "state '" + descriptor.name() + "'";
  }
}
