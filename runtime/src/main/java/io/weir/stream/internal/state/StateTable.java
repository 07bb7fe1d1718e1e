package io.weir.stream.internal.state;

import io.weir.stream.internal.KeyGroupRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The entries of one state, one map of key to entry per key group, so that a key group's state
 * can be written to a checkpoint or moved to another subtask on its own. Not thread-safe.
 *
 * @param <E> the entry type: a {@link TtlValue}, or a collection of them
 */
final class StateTable<E> {
  private final KeyGroupRange range;
  private final Map<Object, E>[] groups;

  @SuppressWarnings("unchecked")
  StateTable(KeyGroupRange range) {
    this.range = range;
    this.groups = new Map[range.size()];
  }

  /** The entry of {@code key} in {@code keyGroup}; null when there is none. */
  E get(int keyGroup, Object key) {
    Map<Object, E> group = groups[keyGroup - range.start()];
    return group == null ? null : group.get(key);
  }

  /** Stores the entry of {@code key}; a null entry removes it. */
  void put(int keyGroup, Object key, E entry) {
    if (entry == null) {
      remove(keyGroup, key);
      return;
    }
    int i = keyGroup - range.start();
    if (groups[i] == null) {
      groups[i] = new HashMap<>();
    }
    groups[i].put(key, entry);
  }

  /** Removes the entry of {@code key}, if any; drops the key group's map once empty. */
  void remove(int keyGroup, Object key) {
    int i = keyGroup - range.start();
    Map<Object, E> group = groups[i];
    if (group != null) {
      group.remove(key);
      if (group.isEmpty()) {
        groups[i] = null;
      }
    }
  }

  /** Whether {@code keyGroup} holds any entry. */
  boolean hasEntries(int keyGroup) {
    return groups[keyGroup - range.start()] != null;
  }

  /** Calls {@code action} with each key of {@code keyGroup}; it must not change the table. */
  void forEachKey(int keyGroup, Consumer<Object> action) {
    Map<Object, E> group = groups[keyGroup - range.start()];
    if (group != null) {
      group.keySet().forEach(action);
    }
  }

  /** A copy of the keys of {@code keyGroup}, so the table may change while they are visited. */
  void forEachEntry(int keyGroup, java.util.function.BiConsumer<Object, E> action) {
    Map<Object, E> group = groups[keyGroup - range.start()];
    if (group != null) {
      group.forEach(action);
    }
  }

  List<Object> keys(int keyGroup) {
    Map<Object, E> group = groups[keyGroup - range.start()];
    return group == null ? List.of() : new ArrayList<>(group.keySet());
  }
}
