package io.weir.stream.internal.state;

import io.weir.stream.api.TimeDomain;
import io.weir.stream.internal.KeyGroupRange;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The timers of one time domain: a set per key group (so timers can be checkpointed and moved
 * with their key group) and one ordered set across key groups (so the earliest is found at once).
 * Registering, deleting and taking the earliest are O(log n). Timers of equal time are ordered by
 * registration. Not thread-safe.
 */
final class TimerQueue {
  /**
   * A registered timer.
   *
   * @param key never null
   * @param time epoch milliseconds
   * @param keyGroup the key's group
   * @param sequence the order of registration, for ties
   */
  record Timer(Object key, long time, int keyGroup, long sequence) {}

  /** Identifies a timer: one per key and time. */
  private record TimerId(Object key, long time) {}

  private static final Comparator<Timer> ORDER =
      Comparator.comparingLong(Timer::time).thenComparingLong(Timer::sequence);

  private final TimeDomain domain;
  private final KeyGroupRange range;
  private final Map<TimerId, Timer>[] groups;
  private final TreeSet<Timer> ordered = new TreeSet<>(ORDER);
  private long nextSequence;

  @SuppressWarnings("unchecked")
  TimerQueue(TimeDomain domain, KeyGroupRange range) {
    this.domain = domain;
    this.range = range;
    this.groups = new Map[range.size()];
  }

  TimeDomain domain() {
    return domain;
  }

  /** Adds a timer; nothing if the key already has one at {@code time}. */
  void add(Object key, int keyGroup, long time) {
    int i = keyGroup - range.start();
    if (groups[i] == null) {
      groups[i] = new HashMap<>();
    }
    TimerId id = new TimerId(key, time);
    if (!groups[i].containsKey(id)) {
      Timer timer = new Timer(key, time, keyGroup, nextSequence++);
      groups[i].put(id, timer);
      ordered.add(timer);
    }
  }

  /** Removes the key's timer at {@code time}; nothing if there is none. */
  void remove(Object key, int keyGroup, long time) {
    int i = keyGroup - range.start();
    Map<TimerId, Timer> group = groups[i];
    Timer timer = group == null ? null : group.remove(new TimerId(key, time));
    if (timer != null) {
      ordered.remove(timer);
      if (group.isEmpty()) {
        groups[i] = null;
      }
    }
  }

  /** The earliest timer's time; {@code Long.MAX_VALUE} when there is none. */
  long nextTime() {
    return ordered.isEmpty() ? Long.MAX_VALUE : ordered.first().time();
  }

  /** Removes and returns the earliest timer if its time is at most {@code time}; else null. */
  Timer pollUpTo(long time) {
    if (ordered.isEmpty() || ordered.first().time() > time) {
      return null;
    }
    Timer timer = ordered.pollFirst();
    int i = timer.keyGroup() - range.start();
    groups[i].remove(new TimerId(timer.key(), timer.time()));
    if (groups[i].isEmpty()) {
      groups[i] = null;
    }
    return timer;
  }

  /** How many timers. */
  int size() {
    return ordered.size();
  }

  /** Whether {@code keyGroup} holds a timer. */
  boolean hasTimers(int keyGroup) {
    return groups[keyGroup - range.start()] != null;
  }

  /** Calls {@code action} with each timer of {@code keyGroup}; it must not change the queue. */
  void forEach(int keyGroup, Consumer<Timer> action) {
    Map<TimerId, Timer> group = groups[keyGroup - range.start()];
    if (group != null) {
      group.values().forEach(action);
    }
  }
}
