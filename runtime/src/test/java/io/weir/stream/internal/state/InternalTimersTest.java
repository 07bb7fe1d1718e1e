package io.weir.stream.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.api.TimeDomain;
import io.weir.stream.internal.KeyGroupRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class InternalTimersTest {
  /** A timer as the callback saw it. */
  record Fired(Object key, long time, TimeDomain domain) {}

  private final InternalTimers timers = new InternalTimers(new KeyGroupRange(0, 127), 128);
  private final List<Fired> fired = new ArrayList<>();
  private final TimerCallback record =
      (key, time, domain) -> fired.add(new Fired(key, time, domain));

  private static Fired event(Object key, long time) {
    return new Fired(key, time, TimeDomain.EVENT_TIME);
  }

  private static Fired processing(Object key, long time) {
    return new Fired(key, time, TimeDomain.PROCESSING_TIME);
  }

  @Test
  void eventTimersFireInOrderOfTimeUpToTheWatermark() throws Exception {
    timers.registerEventTimeTimer("c", 30);
    timers.registerEventTimeTimer("a", 10);
    timers.registerEventTimeTimer("b", 20);
    timers.registerEventTimeTimer("d", 25);
    assertEquals(10, timers.nextEventTime());
    timers.advanceWatermark(25, record);
    assertEquals(List.of(event("a", 10), event("b", 20), event("d", 25)), fired);
    assertEquals(1, timers.size());
    assertEquals(30, timers.nextEventTime());
    assertEquals(25, timers.currentWatermark());
    timers.advanceWatermark(29, record);
    assertEquals(3, fired.size());
    timers.advanceWatermark(Long.MAX_VALUE, record);
    assertEquals(event("c", 30), fired.get(3));
    assertEquals(0, timers.size());
    assertEquals(Long.MAX_VALUE, timers.nextEventTime());
  }

  @Test
  void tiesFireInOrderOfRegistration() throws Exception {
    timers.registerEventTimeTimer("z", 5);
    timers.registerEventTimeTimer("a", 5);
    timers.registerEventTimeTimer(7, 5);
    timers.advanceWatermark(5, record);
    assertEquals(List.of(event("z", 5), event("a", 5), event(7, 5)), fired);
  }

  @Test
  void aTimerIsUniquePerKeyTimeAndDomain() throws Exception {
    timers.registerEventTimeTimer("k", 10);
    timers.registerEventTimeTimer("k", 10);
    timers.registerEventTimeTimer("other", 10);
    timers.registerProcessingTimeTimer("k", 10);
    timers.registerProcessingTimeTimer("k", 10);
    assertEquals(3, timers.size());
    timers.advanceWatermark(10, record);
    timers.fireProcessingTimers(10, record);
    assertEquals(List.of(event("k", 10), event("other", 10), processing("k", 10)), fired);
    assertEquals(0, timers.size());
  }

  @Test
  void deletingRemovesOnlyThatKeysTimer() throws Exception {
    timers.registerEventTimeTimer("a", 10);
    timers.registerEventTimeTimer("b", 10);
    timers.registerEventTimeTimer("a", 20);
    timers.registerProcessingTimeTimer("a", 10);
    timers.deleteEventTimeTimer("a", 10);
    timers.deleteEventTimeTimer("a", 99);
    timers.deleteEventTimeTimer("missing", 10);
    timers.deleteProcessingTimeTimer("b", 10);
    assertEquals(3, timers.size());
    timers.advanceWatermark(100, record);
    timers.fireProcessingTimers(100, record);
    assertEquals(List.of(event("b", 10), event("a", 20), processing("a", 10)), fired);
  }

  @Test
  void timersRegisteredByTheCallbackFireInTheSameCallWhenDue() throws Exception {
    timers.registerEventTimeTimer("a", 10);
    boolean[] first = {true};
    timers.advanceWatermark(50, (key, time, domain) -> {
      fired.add(new Fired(key, time, domain));
      if (time == 10 && first[0]) {
        first[0] = false;
        timers.registerEventTimeTimer("a", 10); // removed before the call: fires again
        timers.registerEventTimeTimer("b", 40);
        timers.registerEventTimeTimer("c", 60);
      } else if (time == 40) {
        timers.registerEventTimeTimer("d", 45);
      }
    });
    assertEquals(List.of(event("a", 10), event("a", 10), event("b", 40), event("d", 45)), fired);
    assertEquals(1, timers.size());
    assertEquals(60, timers.nextEventTime());
  }

  @Test
  void processingTimersFireUpToNow() throws Exception {
    assertEquals(Long.MAX_VALUE, timers.nextProcessingTime());
    timers.registerProcessingTimeTimer("a", 1_000);
    timers.registerProcessingTimeTimer("b", 500);
    timers.registerEventTimeTimer("e", 100);
    assertEquals(500, timers.nextProcessingTime());
    timers.fireProcessingTimers(499, record);
    assertTrue(fired.isEmpty());
    timers.fireProcessingTimers(999, (key, time, domain) -> {
      fired.add(new Fired(key, time, domain));
      if (time == 500) {
        timers.registerProcessingTimeTimer(key, 900);
      }
    });
    assertEquals(List.of(processing("b", 500), processing("b", 900)), fired);
    assertEquals(1_000, timers.nextProcessingTime());
    assertEquals(100, timers.nextEventTime(), "processing time fires no event-time timer");
    assertEquals(Long.MIN_VALUE, timers.currentWatermark());
  }

  @Test
  void theWatermarkNeverGoesBack() throws Exception {
    assertEquals(Long.MIN_VALUE, timers.currentWatermark());
    timers.advanceWatermark(100, record);
    timers.advanceWatermark(50, record);
    assertEquals(100, timers.currentWatermark());
    timers.registerEventTimeTimer("late", 80);
    timers.advanceWatermark(60, record);
    assertEquals(List.of(event("late", 80)), fired, "due at the current watermark, 100");
    assertEquals(100, timers.currentWatermark());
  }

  @Test
  void aFailingCallbackLeavesLaterTimersRegistered() throws Exception {
    timers.registerEventTimeTimer("a", 1);
    timers.registerEventTimeTimer("b", 2);
    timers.registerEventTimeTimer("c", 3);
    IOException e = assertThrows(IOException.class, () -> timers.advanceWatermark(10,
        (key, time, domain) -> {
          fired.add(new Fired(key, time, domain));
          if (key.equals("b")) {
            throw new IOException("boom");
          }
        }));
    assertEquals("boom", e.getMessage());
    assertEquals(List.of(event("a", 1), event("b", 2)), fired);
    assertEquals(1, timers.size());
    assertEquals(3, timers.nextEventTime());
  }

  @Test
  void timersAreKeptPerKeyGroup() {
    // Pinned in KeyGroupsTest: "hello" 35, "world" 66, 42 29.
    timers.registerEventTimeTimer("hello", 1);
    timers.registerEventTimeTimer("hello", 2);
    timers.registerProcessingTimeTimer("world", 3);
    timers.registerEventTimeTimer(42, 4);
    assertEquals(new TreeSet<>(List.of(29, 35, 66)), timers.keyGroupsWithTimers());
    List<Long> inGroup35 = new ArrayList<>();
    timers.forEachTimer(TimeDomain.EVENT_TIME, 35, (key, time) -> {
      assertEquals("hello", key);
      inGroup35.add(time);
    });
    inGroup35.sort(null);
    assertEquals(List.of(1L, 2L), inGroup35);
    List<Object> eventIn66 = new ArrayList<>();
    timers.forEachTimer(TimeDomain.EVENT_TIME, 66, (key, time) -> eventIn66.add(key));
    assertEquals(List.of(), eventIn66);
    timers.deleteProcessingTimeTimer("world", 3);
    assertEquals(new TreeSet<>(List.of(29, 35)), timers.keyGroupsWithTimers());
  }

  @Test
  void aKeyOutsideTheRangeIsRefused() {
    InternalTimers half = new InternalTimers(KeyGroupRange.forSubtask(128, 2, 0), 128);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> half.registerEventTimeTimer("world", 1));
    assertEquals("key world is in key group 66, outside this subtask's key groups 0..63",
        e.getMessage());
    assertThrows(NullPointerException.class, () -> half.registerProcessingTimeTimer(null, 1));
    assertThrows(IllegalArgumentException.class,
        () -> half.forEachTimer(TimeDomain.EVENT_TIME, 66, (key, time) -> { }));
  }

  @Test
  void manyTimersFireInOrder() throws Exception {
    long seed = 20261123L;
    Random random = new Random(seed);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      long time = random.nextInt(500);
      timers.registerEventTimeTimer("key-" + i, time);
      times.add(time);
    }
    List<Long> firedTimes = new ArrayList<>();
    timers.advanceWatermark(Long.MAX_VALUE, (key, time, domain) -> firedTimes.add(time));
    times.sort(null);
    assertEquals(times, firedTimes, "seed " + seed);
  }

  /**
   * Random registrations, deletions and advances against a model: what fires, and in which
   * order (time, then registration), matches it, with deletions from anywhere in the queue.
   */
  @Test
  void registrationsAndDeletionsMatchAModel() throws Exception {
    long seed = 20261124L;
    Random random = new Random(seed);
    // key|time -> registration number, the live timers of the model
    java.util.Map<String, Long> live = new java.util.HashMap<>();
    long registrations = 0;
    long watermark = Long.MIN_VALUE;
    for (int step = 0; step < 20_000; step++) {
      int op = random.nextInt(10);
      String key = "k" + random.nextInt(200);
      long time = (watermark == Long.MIN_VALUE ? 0 : watermark) + 1 + random.nextInt(300);
      if (op < 6) {
        timers.registerEventTimeTimer(key, time);
        live.putIfAbsent(key + "|" + time, registrations++);
      } else if (op < 9) {
        // Delete a live timer when there is one, else a random one (a no-op).
        String victim = live.isEmpty() ? key + "|" + time
            : live.keySet().stream().skip(random.nextInt(live.size())).findFirst().orElseThrow();
        String[] parts = victim.split("\\|");
        timers.deleteEventTimeTimer(parts[0], Long.parseLong(parts[1]));
        live.remove(victim);
      } else {
        long to = (watermark == Long.MIN_VALUE ? 0 : watermark) + random.nextInt(100);
        List<String> expected = live.entrySet().stream()
            .filter(e -> Long.parseLong(e.getKey().split("\\|")[1]) <= to)
            .sorted(java.util.Comparator.comparingLong((java.util.Map.Entry<String, Long> e) ->
                Long.parseLong(e.getKey().split("\\|")[1])).thenComparingLong(e -> e.getValue()))
            .map(java.util.Map.Entry::getKey).toList();
        List<String> firedNow = new ArrayList<>();
        timers.advanceWatermark(to, (k, t, d) -> firedNow.add(k + "|" + t));
        assertEquals(expected, firedNow, "step " + step + ", seed " + seed);
        expected.forEach(live::remove);
        watermark = Math.max(watermark, to);
      }
      assertEquals(live.size(), timers.size(), "step " + step + ", seed " + seed);
    }
  }
}
