package io.weir.stream.internal.state;

import io.weir.stream.api.TimeDomain;
import io.weir.stream.internal.KeyGroupRange;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The timers of one time domain: a set per key group (so timers can be checkpointed and moved
 * with their key group) and one binary heap across key groups (so the earliest is found at once),
 * as Flink's heap timer service keeps them. Each timer knows its place in the heap, so deleting
 * one is O(log n) too; registering one a key has already is a hash lookup. Timers of equal time
 * are ordered by registration. Not thread-safe.
 */
final class TimerQueue {
  /** A registered timer: its key, time (epoch milliseconds), key group and place in the heap. */
  static final class Timer {
    private final Object key;
    private final long time;
    private final int keyGroup;
    /** The order of registration, for ties. */
    private final long sequence;
    private int index;

    Timer(Object key, long time, int keyGroup, long sequence) {
      this.key = key;
      this.time = time;
      this.keyGroup = keyGroup;
      this.sequence = sequence;
    }

    Object key() {
      return key;
    }

    long time() {
      return time;
    }

    int keyGroup() {
      return keyGroup;
    }

    boolean before(Timer other) {
      return time < other.time || (time == other.time && sequence < other.sequence);
    }
  }

  /** Identifies a timer: one per key and time. */
  private record TimerId(Object key, long time) {}

  private final TimeDomain domain;
  private final KeyGroupRange range;
  private final Map<TimerId, Timer>[] groups;
  private Timer[] heap = new Timer[16];
  private int size;
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
      push(timer);
    }
  }

  /** Removes the key's timer at {@code time}; nothing if there is none. */
  void remove(Object key, int keyGroup, long time) {
    int i = keyGroup - range.start();
    Map<TimerId, Timer> group = groups[i];
    Timer timer = group == null ? null : group.remove(new TimerId(key, time));
    if (timer != null) {
      removeAt(timer.index);
      if (group.isEmpty()) {
        groups[i] = null;
      }
    }
  }

  /** The earliest timer's time; {@code Long.MAX_VALUE} when there is none. */
  long nextTime() {
    return size == 0 ? Long.MAX_VALUE : heap[0].time;
  }

  /** Removes and returns the earliest timer if its time is at most {@code time}; else null. */
  Timer pollUpTo(long time) {
    if (size == 0 || heap[0].time > time) {
      return null;
    }
    Timer timer = heap[0];
    removeAt(0);
    int i = timer.keyGroup() - range.start();
    groups[i].remove(new TimerId(timer.key(), timer.time()));
    if (groups[i].isEmpty()) {
      groups[i] = null;
    }
    return timer;
  }

  /** How many timers. */
  int size() {
    return size;
  }

  private void push(Timer timer) {
    if (size == heap.length) {
      heap = java.util.Arrays.copyOf(heap, size * 2);
    }
    timer.index = size;
    heap[size++] = timer;
    siftUp(timer.index);
  }

  private void removeAt(int i) {
    Timer last = heap[--size];
    heap[size] = null;
    if (i != size) {
      heap[i] = last;
      last.index = i;
      siftDown(i);
      siftUp(last.index);
    }
  }

  private void siftUp(int i) {
    Timer timer = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!timer.before(heap[parent])) {
        break;
      }
      heap[i] = heap[parent];
      heap[i].index = i;
      i = parent;
    }
    heap[i] = timer;
    timer.index = i;
  }

  private void siftDown(int i) {
    Timer timer = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && heap[right].before(heap[child])) {
        child = right;
      }
      if (!heap[child].before(timer)) {
        break;
      }
      heap[i] = heap[child];
      heap[i].index = i;
      i = child;
    }
    heap[i] = timer;
    timer.index = i;
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
