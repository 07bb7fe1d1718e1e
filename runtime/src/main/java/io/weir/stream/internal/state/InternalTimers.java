package io.weir.stream.internal.state;

import io.weir.stream.api.TimeDomain;
import io.weir.stream.internal.KeyGroupRange;
import io.weir.stream.internal.KeyGroups;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The event-time and processing-time timers of one keyed operator subtask. A timer is one per
 * (key, time, domain): registering it twice fires it once. Timers are kept per key group of the
 * subtask's range, so they can be checkpointed and moved with their key group's state; they fire
 * in order of time, ties in order of registration.
 *
 * <p>Not thread-safe: use from the subtask's thread only. Nothing blocks.
 */
public final class InternalTimers {
  private final KeyGroupRange range;
  private final int maxParallelism;
  private final TimerQueue eventTime;
  private final TimerQueue processingTime;
  private long watermark = Long.MIN_VALUE;

  /**
   * No timers, and a watermark of {@code Long.MIN_VALUE}.
   *
   * @param range the key groups this subtask owns, never null
   * @param maxParallelism the job's number of key groups, more than {@code range.end()}
   * @throws IllegalArgumentException when the range does not fit the max parallelism
   */
  public InternalTimers(KeyGroupRange range, int maxParallelism) {
    this.range = Objects.requireNonNull(range, "range");
    if (range.end() >= maxParallelism) {
      throw new IllegalArgumentException("key groups " + range.start() + ".." + range.end()
          + " do not fit max parallelism " + maxParallelism);
    }
    this.maxParallelism = maxParallelism;
    this.eventTime = new TimerQueue(TimeDomain.EVENT_TIME, range);
    this.processingTime = new TimerQueue(TimeDomain.PROCESSING_TIME, range);
  }

  /**
   * Registers an event-time timer; nothing if {@code key} already has one at {@code time}. A
   * timer at or before the current watermark fires on the next {@link #advanceWatermark}.
   *
   * @param key never null
   * @param time event time in epoch milliseconds
   * @throws IllegalStateException when the key's group is not in this subtask's range
   */
  public void registerEventTimeTimer(Object key, long time) {
    eventTime.add(key, keyGroupOf(key), time);
  }

  /**
   * Removes an event-time timer; nothing if there is none.
   *
   * @param key never null
   * @param time the timer's time
   * @throws IllegalStateException when the key's group is not in this subtask's range
   */
  public void deleteEventTimeTimer(Object key, long time) {
    eventTime.remove(key, keyGroupOf(key), time);
  }

  /**
   * Registers a processing-time timer; nothing if {@code key} already has one at {@code time}.
   *
   * @param key never null
   * @param time epoch milliseconds
   * @throws IllegalStateException when the key's group is not in this subtask's range
   */
  public void registerProcessingTimeTimer(Object key, long time) {
    processingTime.add(key, keyGroupOf(key), time);
  }

  /**
   * Removes a processing-time timer; nothing if there is none.
   *
   * @param key never null
   * @param time the timer's time
   * @throws IllegalStateException when the key's group is not in this subtask's range
   */
  public void deleteProcessingTimeTimer(Object key, long time) {
    processingTime.remove(key, keyGroupOf(key), time);
  }

  /**
   * Advances the watermark and fires, in order of time, every event-time timer at or before it,
   * including timers the callback registers at or before it. Each timer is removed before its
   * call. A watermark below the current one does not move it back, but still fires timers at or
   * before the current one.
   *
   * @param newWatermark the new watermark
   * @param callback called once per timer fired, never null
   * @throws Exception what the callback threw; the timers after it stay registered
   */
  public void advanceWatermark(long newWatermark, TimerCallback callback) throws Exception {
    Objects.requireNonNull(callback, "callback");
    watermark = Math.max(watermark, newWatermark);
    fire(eventTime, watermark, callback);
  }

  /**
   * Fires, in order of time, every processing-time timer at or before {@code now}, including
   * timers the callback registers at or before it. Each timer is removed before its call.
   *
   * @param now the wall clock in epoch milliseconds
   * @param callback called once per timer fired, never null
   * @throws Exception what the callback threw; the timers after it stay registered
   */
  public void fireProcessingTimers(long now, TimerCallback callback) throws Exception {
    Objects.requireNonNull(callback, "callback");
    fire(processingTime, now, callback);
  }

  private static void fire(TimerQueue queue, long upTo, TimerCallback callback) throws Exception {
    for (TimerQueue.Timer t = queue.pollUpTo(upTo); t != null; t = queue.pollUpTo(upTo)) {
      callback.onTimer(t.key(), t.time(), queue.domain());
    }
  }

  /** The watermark; {@code Long.MIN_VALUE} before the first advance. Never goes back. */
  public long currentWatermark() {
    return watermark;
  }

  /** The earliest event-time timer's time; {@code Long.MAX_VALUE} when there is none. */
  public long nextEventTime() {
    return eventTime.nextTime();
  }

  /** The earliest processing-time timer's time; {@code Long.MAX_VALUE} when there is none. */
  public long nextProcessingTime() {
    return processingTime.nextTime();
  }

  /** How many timers are registered, of both domains. */
  public int size() {
    return eventTime.size() + processingTime.size();
  }

  /**
   * The key groups holding a timer of either domain, for checkpoints and tests.
   *
   * @return a sorted copy, never null
   */
  public SortedSet<Integer> keyGroupsWithTimers() {
    SortedSet<Integer> result = new TreeSet<>();
    for (int kg = range.start(); kg <= range.end(); kg++) {
      if (eventTime.hasTimers(kg) || processingTime.hasTimers(kg)) {
        result.add(kg);
      }
    }
    return result;
  }

  /**
   * Calls {@code action} with each timer of {@code keyGroup} in {@code domain}, in no particular
   * order, for checkpoints and tests. The action must not change the timers.
   *
   * @param domain never null
   * @param keyGroup a key group of this subtask's range
   * @param action never null
   * @throws IllegalArgumentException when the key group is not owned
   */
  public void forEachTimer(TimeDomain domain, int keyGroup, TimerVisitor action) {
    Objects.requireNonNull(action, "action");
    if (!range.contains(keyGroup)) {
      throw new IllegalArgumentException("key group " + keyGroup + " is outside this subtask's "
          + range.start() + ".." + range.end());
    }
    TimerQueue queue = domain == TimeDomain.EVENT_TIME ? eventTime : processingTime;
    queue.forEach(keyGroup, t -> action.visit(t.key(), t.time()));
  }

  /** Sees one timer, for {@link #forEachTimer}. */
  @FunctionalInterface
  public interface TimerVisitor {
    /**
     * One timer.
     *
     * @param key never null
     * @param time the timer's time
     */
    void visit(Object key, long time);
  }

  private int keyGroupOf(Object key) {
    Objects.requireNonNull(key, "a timer's key must not be null");
    int keyGroup = KeyGroups.assign(key, maxParallelism);
    if (!range.contains(keyGroup)) {
      throw new IllegalStateException("key " + key + " is in key group " + keyGroup
          + ", outside this subtask's key groups " + range.start() + ".." + range.end());
    }
    return keyGroup;
  }
}
