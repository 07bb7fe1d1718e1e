package io.weir.stream.internal.state;

import io.weir.stream.internal.KeyGroupRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The entries of one state, one map of key to entry per key group, so that a key group's state
 * can be written to a checkpoint or moved to another subtask on its own. Not thread-safe.
 *
 * <p>Copy on write, so a checkpoint takes the state without copying it on the record path:
 * {@link #freeze()} hands out the key groups' maps as they are, and from then on the table
 * never changes what it handed out. The first change to a frozen key group copies its map
 * (keys and references); an entry is copied on its first access after a freeze (new cells,
 * changeable values copied: see {@link StateCopies#copyEntry}), since the states change
 * collections in place and code may change a value it got from state in place too.
 *
 * @param <E> the entry type: a {@link TtlValue}, or a collection of them
 */
final class StateTable<E> {
  private final KeyGroupRange range;
  private final Map<Object, E>[] groups;
  /** Whether a group's map was handed to a snapshot: it must be copied before a change. */
  private final boolean[] shared;
  /**
   * Per group frozen at least once: the collection entries created or copied since the last
   * freeze, by identity; any other entry of the group may be a snapshot's.
   */
  private final Set<Object>[] owned;
  private final UnaryOperator<E> copier;
  /**
   * The last key looked up or stored, by identity, and its entry (null: none): an operator
   * reads and writes one key's state several times per record (a window operator's contents,
   * trigger and timers for each window), and the runtime hands it the same key object
   * throughout. Kept in step by every change; forgotten at a freeze.
   */
  private Object lastKey;
  private int lastGroup = -1;
  private E lastEntry;

  /**
   * Creates an empty table.
   *
   * @param range the key groups it holds
   * @param copier copies an entry so that the copy shares nothing changeable with it
   */
  @SuppressWarnings("unchecked")
  StateTable(KeyGroupRange range, UnaryOperator<E> copier) {
    this.range = range;
    this.groups = new Map[range.size()];
    this.shared = new boolean[range.size()];
    this.owned = new Set[range.size()];
    this.copier = copier;
  }

  /**
   * The entry of {@code key} in {@code keyGroup}, which the caller may change in place if it is
   * a collection; null when there is none.
   */
  E get(int keyGroup, Object key) {
    if (key == lastKey && keyGroup == lastGroup) {
      return lastEntry;
    }
    int i = keyGroup - range.start();
    Map<Object, E> group = groups[i];
    E entry = group == null ? null : group.get(key);
    if (entry != null && copier != null && owned[i] != null && !owned[i].contains(entry)) {
      E copy = copier.apply(entry);
      if (copy != entry) {
        writable(i).put(key, copy);
      }
      owned[i].add(copy); // an unchanged entry holds nothing changeable: it may stay shared
      entry = copy;
    }
    remember(keyGroup, key, entry);
    return entry;
  }

  private void remember(int keyGroup, Object key, E entry) {
    lastKey = key;
    lastGroup = keyGroup;
    lastEntry = entry;
  }

  /** Stores the entry of {@code key}; a null entry removes it. */
  void put(int keyGroup, Object key, E entry) {
    if (entry == null) {
      remove(keyGroup, key);
      return;
    }
    int i = keyGroup - range.start();
    writable(i).put(key, entry);
    if (copier != null && owned[i] != null) {
      owned[i].add(entry);
    }
    remember(keyGroup, key, entry);
  }

  /** Removes the entry of {@code key}, if any; drops the key group's map once empty. */
  void remove(int keyGroup, Object key) {
    if (keyGroup == lastGroup && (key == lastKey || key.equals(lastKey))) {
      remember(keyGroup, key, null);
    }
    int i = keyGroup - range.start();
    if (groups[i] == null || !groups[i].containsKey(key)) {
      return;
    }
    Map<Object, E> group = writable(i);
    E removed = group.remove(key);
    if (owned[i] != null) {
      owned[i].remove(removed);
    }
    if (group.isEmpty()) {
      groups[i] = null;
    }
  }

  /** The group's own map, copied first if a snapshot has it; created when absent. */
  private Map<Object, E> writable(int i) {
    Map<Object, E> group = groups[i];
    if (group == null) {
      group = new HashMap<>();
      groups[i] = group;
      shared[i] = false;
    } else if (shared[i]) {
      group = new HashMap<>(group);
      groups[i] = group;
      shared[i] = false;
    }
    return group;
  }

  /**
   * Hands out every key group's map for a snapshot (null for a group without entries), and
   * keeps them unchanged from now on.
   *
   * @return the maps by key group index (key group minus the range's start)
   */
  Map<Object, E>[] freeze() {
    remember(-1, null, null); // its entry may be one the snapshot now holds
    for (int i = 0; i < groups.length; i++) {
      if (groups[i] != null) {
        shared[i] = true;
        if (copier != null) {
          owned[i] = Collections.newSetFromMap(new IdentityHashMap<>());
        }
      }
    }
    return groups.clone();
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
  List<Object> keys(int keyGroup) {
    Map<Object, E> group = groups[keyGroup - range.start()];
    return group == null ? List.of() : new ArrayList<>(group.keySet());
  }
}
