package io.weir.stream.internal.state;

import io.weir.stream.api.state.AggregatingStateDescriptor;
import io.weir.stream.api.state.ListStateDescriptor;
import io.weir.stream.api.state.MapStateDescriptor;
import io.weir.stream.api.state.ReducingStateDescriptor;
import io.weir.stream.api.state.State;
import io.weir.stream.api.state.StateDescriptor;
import io.weir.stream.api.state.ValueStateDescriptor;
import io.weir.stream.internal.KeyGroupRange;
import io.weir.stream.internal.KeyGroups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The keyed state of one operator subtask, kept on the heap. The runtime sets the current key
 * before each element or timer; every state object returned by {@link #getState} then reads and
 * writes that key's value. Entries are stored per key group of the subtask's
 * {@link KeyGroupRange}, one table per state, so whole key groups can be checkpointed and moved
 * when the job is rescaled.
 *
 * <p>Values are kept by reference, not copied: a function that changes an object after storing
 * it (or after reading it) changes the stored value.
 *
 * <p>Time to live is in processing time, read from the clock given here, in whole milliseconds
 * (a ttl under one millisecond counts as one). A value expires {@code ttl} after its last
 * renewal: its write, or with {@code ON_READ_AND_WRITE} also its last read. Lists and maps
 * expire per element and per entry, the other kinds per value. A read that finds an expired value
 * removes it and, with {@code RETURN_EXPIRED_IF_NOT_CLEANED_UP}, still returns it that once (as
 * Flink does); a write never builds on an expired value (an add after expiry starts afresh).
 * Expired values are also removed by {@link #cleanupExpired}, which the runtime calls now and
 * then.
 *
 * <p>Not thread-safe: use from the subtask's thread only. Nothing blocks.
 */
public final class KeyedStateBackend {
  private final KeyGroupRange range;
  private final int maxParallelism;
  private final LongSupplier processingClock;
  private final Map<String, AbstractHeapState<?>> states = new LinkedHashMap<>();
  private final List<AbstractHeapState<?>> statesWithTtl = new ArrayList<>();
  private final Map<String, List<PendingEntries>> pending = new java.util.HashMap<>();
  private final ExpiryCleaner cleaner;
  private Object currentKey;
  private int currentKeyGroup = -1;

  /**
   * An empty backend.
   *
   * @param range the key groups this subtask owns, never null
   * @param maxParallelism the job's number of key groups, more than {@code range.end()}
   * @param processingClock the wall clock in epoch milliseconds, for time to live; never null
   * @throws IllegalArgumentException when the range does not fit the max parallelism
   */
  public KeyedStateBackend(KeyGroupRange range, int maxParallelism, LongSupplier processingClock) {
    this.range = Objects.requireNonNull(range, "range");
    this.processingClock = Objects.requireNonNull(processingClock, "processingClock");
    if (range.end() >= maxParallelism) {
      throw new IllegalArgumentException("key groups " + range.start() + ".." + range.end()
          + " do not fit max parallelism " + maxParallelism);
    }
    this.maxParallelism = maxParallelism;
    this.cleaner = new ExpiryCleaner(range);
  }

  /**
   * Makes {@code key} the current key of every state.
   *
   * @param key never null
   * @throws NullPointerException when {@code key} is null
   * @throws IllegalStateException when the key's group is not in this backend's range: the
   *     element was routed to the wrong subtask
   */
  public void setCurrentKey(Object key) {
    Objects.requireNonNull(key, "the current key must not be null");
    int keyGroup = KeyGroups.assign(key, maxParallelism);
    if (!range.contains(keyGroup)) {
      throw new IllegalStateException("key " + key + " is in key group " + keyGroup
          + ", outside this backend's key groups " + range.start() + ".." + range.end());
    }
    currentKey = key;
    currentKeyGroup = keyGroup;
  }

  /** The current key; null before the first {@link #setCurrentKey}. */
  public Object currentKey() {
    return currentKey;
  }

  /** The current key's group; -1 before the first {@link #setCurrentKey}. */
  public int currentKeyGroup() {
    return currentKeyGroup;
  }

  /** The key groups this backend owns, never null. */
  public KeyGroupRange keyGroupRange() {
    return range;
  }

  /**
   * The state described, bound to the current key. The first call with a name creates the state;
   * later calls with that name return the same object.
   *
   * @param descriptor never null
   * @param <S> the kind of state
   * @return never null
   * @throws IllegalStateException when the name was registered with another kind of state,
   *     another value, key, element or accumulator class, or another time to live (the function
   *     of a reducing or aggregating state is not compared)
   */
  public <S extends State> S getState(StateDescriptor<S> descriptor) {
    Objects.requireNonNull(descriptor, "descriptor");
    AbstractHeapState<?> state = states.get(descriptor.name());
    if (state == null) {
      state = create(descriptor, new Ttl(descriptor.ttl(), processingClock));
      states.put(descriptor.name(), state);
      restorePending(state);
      if (descriptor.ttl() != null) {
        statesWithTtl.add(state);
      }
    } else {
      StateSignature registered = StateSignature.of(state.descriptor);
      StateSignature requested = StateSignature.of(descriptor);
      if (!registered.equals(requested)) {
        throw new IllegalStateException("state '" + descriptor.name() + "' is registered as "
            + registered + " and cannot be used as " + requested);
      }
    }
    @SuppressWarnings("unchecked") // The signature check above makes the kinds and types match.
    S typed = (S) state;
    return typed;
  }

  /**
   * The state of every key group that has any, for a checkpoint, taken at once.
   *
   * @param timers the subtask's timers, stored with the state of their key group; may be null
   * @return one snapshot per key group with state or timers, in key group order
   */
  public List<KeyGroupSnapshot> snapshot(InternalTimers timers) {
    return freeze(timers).get();
  }

  /**
   * Takes the state of every key group for a checkpoint without copying it: the tables hand out
   * their maps and copy on write from now on (see {@link StateTable}); the timers are copied.
   * The supplier turns what was taken into key group snapshots, and may run on any thread while
   * this backend goes on changing. The values themselves are shared, so they must not be
   * mutated after being stored.
   *
   * @param timers the subtask's timers, stored with the state of their key group; may be null
   * @return makes one snapshot per key group with state or timers, in key group order
   */
  public java.util.function.Supplier<List<KeyGroupSnapshot>> freeze(InternalTimers timers) {
    List<String> names = new ArrayList<>();
    List<Map<Object, ?>[]> frozen = new ArrayList<>();
    for (AbstractHeapState<?> state : states.values()) {
      names.add(state.descriptor.name());
      frozen.add(state.table.freeze());
    }
    Map<Integer, List<KeyGroupSnapshot.Timer>> event = new java.util.HashMap<>();
    Map<Integer, List<KeyGroupSnapshot.Timer>> processing = new java.util.HashMap<>();
    if (timers != null) {
      for (int kg = range.start(); kg <= range.end(); kg++) {
        int group = kg;
        timers.forEachTimer(io.weir.stream.api.TimeDomain.EVENT_TIME, kg, (key, time) -> event
            .computeIfAbsent(group, g -> new ArrayList<>()).add(new KeyGroupSnapshot.Timer(key, time)));
        timers.forEachTimer(io.weir.stream.api.TimeDomain.PROCESSING_TIME, kg, (key, time) ->
            processing.computeIfAbsent(group, g -> new ArrayList<>())
                .add(new KeyGroupSnapshot.Timer(key, time)));
      }
    }
    return () -> {
      List<KeyGroupSnapshot> out = new ArrayList<>();
      for (int kg = range.start(); kg <= range.end(); kg++) {
        List<KeyGroupSnapshot.StateEntries> entries = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
          Map<Object, ?> group = frozen.get(s)[kg - range.start()];
          if (group != null && !group.isEmpty()) {
            List<KeyGroupSnapshot.Entry> list = new ArrayList<>(group.size());
            group.forEach((key, entry) ->
                list.add(new KeyGroupSnapshot.Entry(key, KeyGroupSnapshot.export(entry))));
            entries.add(new KeyGroupSnapshot.StateEntries(names.get(s), list));
          }
        }
        List<KeyGroupSnapshot.Timer> e = event.getOrDefault(kg, List.of());
        List<KeyGroupSnapshot.Timer> p = processing.getOrDefault(kg, List.of());
        if (!entries.isEmpty() || !e.isEmpty() || !p.isEmpty()) {
          out.add(new KeyGroupSnapshot(kg, entries, e, p));
        }
      }
      return out;
    };
  }

  /**
   * Restores key groups from a checkpoint, before the operator registers its states: the
   * entries of this backend's key groups are kept until their state is registered, then put in
   * its table; timers go into {@code timers} at once. Key groups outside this backend's range
   * are skipped, so a subtask may be given the snapshots of every old subtask.
   *
   * @param snapshots key group snapshots, any order
   * @param timers where restored timers go; may be null when the operator has none
   */
  public void restore(List<KeyGroupSnapshot> snapshots, InternalTimers timers) {
    for (KeyGroupSnapshot s : snapshots) {
      if (!range.contains(s.keyGroup())) {
        continue;
      }
      for (KeyGroupSnapshot.StateEntries e : s.states()) {
        pending.computeIfAbsent(e.name(), n -> new ArrayList<>()).add(
            new PendingEntries(s.keyGroup(), e.entries()));
      }
      if (timers != null) {
        s.eventTimers().forEach(t -> timers.registerEventTimeTimer(t.key(), t.time()));
        s.processingTimers().forEach(t -> timers.registerProcessingTimeTimer(t.key(), t.time()));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void restorePending(AbstractHeapState<?> state) {
    List<PendingEntries> restored = pending.remove(state.descriptor.name());
    if (restored == null) {
      return;
    }
    StateTable<Object> table = (StateTable<Object>) state.table;
    for (PendingEntries p : restored) {
      for (KeyGroupSnapshot.Entry e : p.entries()) {
        table.put(p.keyGroup(), e.key(), KeyGroupSnapshot.restore(e.stored()));
      }
    }
  }

  /** Restored entries of a state not registered yet. */
  private record PendingEntries(int keyGroup, List<KeyGroupSnapshot.Entry> entries) {}

  private AbstractHeapState<?> create(StateDescriptor<?> descriptor, Ttl ttl) {
    if (descriptor instanceof ValueStateDescriptor<?> d) {
      return new HeapValueState<>(d, this, ttl);
    } else if (descriptor instanceof ListStateDescriptor<?> d) {
      return new HeapListState<>(d, this, ttl);
    } else if (descriptor instanceof MapStateDescriptor<?, ?> d) {
      return new HeapMapState<>(d, this, ttl);
    } else if (descriptor instanceof ReducingStateDescriptor<?> d) {
      return new HeapReducingState<>(d, this, ttl);
    } else if (descriptor instanceof AggregatingStateDescriptor<?, ?, ?> d) {
      return new HeapAggregatingState<>(d, this, ttl);
    }
    throw new IllegalArgumentException("unknown kind of state descriptor: " + descriptor);
  }

  /** The names of the states registered so far, in registration order; an unmodifiable view. */
  public Set<String> stateNames() {
    return Collections.unmodifiableSet(states.keySet());
  }

  /**
   * The key groups in which some state holds an entry, for checkpoints and tests. Entries
   * expired but not yet removed count.
   *
   * @return a sorted copy, never null
   */
  public SortedSet<Integer> keyGroupsWithState() {
    SortedSet<Integer> result = new TreeSet<>();
    for (int kg = range.start(); kg <= range.end(); kg++) {
      for (AbstractHeapState<?> state : states.values()) {
        if (state.table.hasEntries(kg)) {
          result.add(kg);
          break;
        }
      }
    }
    return result;
  }

  /**
   * Calls {@code action} with every key that has an entry in the named state, key group by key
   * group in ascending order, for checkpoints and tests. Entries expired but not yet removed
   * count. The action must not change the state.
   *
   * @param stateName a registered state's name
   * @param action never null
   * @throws IllegalArgumentException when no state has that name
   */
  public void forEachKey(String stateName, Consumer<Object> action) {
    for (int kg = range.start(); kg <= range.end(); kg++) {
      forEachKey(stateName, kg, action);
    }
  }

  /**
   * Calls {@code action} with every key of {@code keyGroup} that has an entry in the named
   * state. The action must not change the state.
   *
   * @param stateName a registered state's name
   * @param keyGroup a key group of this backend's range
   * @param action never null
   * @throws IllegalArgumentException when no state has that name or the key group is not owned
   */
  public void forEachKey(String stateName, int keyGroup, Consumer<Object> action) {
    Objects.requireNonNull(action, "action");
    AbstractHeapState<?> state = states.get(stateName);
    if (state == null) {
      throw new IllegalArgumentException("no state is named '" + stateName + "'");
    }
    if (!range.contains(keyGroup)) {
      throw new IllegalArgumentException("key group " + keyGroup + " is outside this backend's "
          + range.start() + ".." + range.end());
    }
    state.table.forEachKey(keyGroup, action);
  }

  /**
   * Removes expired values, resuming where the previous call stopped, so that repeated calls
   * visit every entry of every state with a time to live. Stops when {@code budget} values are
   * removed or every entry was visited once in this call. Each element of a list state and each
   * entry of a map state counts as one value.
   *
   * @param budget the most values to remove, at least 0
   * @return how many were removed
   * @throws IllegalArgumentException when {@code budget} is negative
   */
  public int cleanupExpired(int budget) {
    if (budget < 0) {
      throw new IllegalArgumentException("cleanup budget must be >= 0, was " + budget);
    }
    if (budget == 0) {
      return 0;
    }
    return cleaner.clean(statesWithTtl, budget, processingClock.getAsLong());
  }

  /** The current key, for the states. */
  Object requireCurrentKey() {
    if (currentKey == null) {
      throw new IllegalStateException("keyed state is used with no current key: it is only "
          + "accessible while an element or timer of a keyed stream is processed");
    }
    return currentKey;
  }
}
