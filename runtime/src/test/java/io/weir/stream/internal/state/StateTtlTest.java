package io.weir.stream.internal.state;

import static io.weir.stream.internal.state.KeyedStateBackendTest.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.api.state.AggregatingState;
import io.weir.stream.api.state.AggregatingStateDescriptor;
import io.weir.stream.api.state.ListState;
import io.weir.stream.api.state.ListStateDescriptor;
import io.weir.stream.api.state.MapState;
import io.weir.stream.api.state.MapStateDescriptor;
import io.weir.stream.api.state.ReducingState;
import io.weir.stream.api.state.ReducingStateDescriptor;
import io.weir.stream.api.state.StateTtlConfig;
import io.weir.stream.api.state.StateTtlConfig.UpdateType;
import io.weir.stream.api.state.StateTtlConfig.Visibility;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import io.weir.stream.internal.KeyGroupRange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StateTtlTest {
  private static final StateTtlConfig TEN_MS = StateTtlConfig.of(Duration.ofMillis(10));
  private static final StateTtlConfig RENEWED_ON_READ =
      TEN_MS.withUpdateType(UpdateType.ON_READ_AND_WRITE);
  private static final StateTtlConfig RETURNS_EXPIRED =
      TEN_MS.withVisibility(Visibility.RETURN_EXPIRED_IF_NOT_CLEANED_UP);

  private final AtomicLong clock = new AtomicLong(1_000);
  private final KeyedStateBackend backend =
      new KeyedStateBackend(new KeyGroupRange(0, 127), 128, clock::get);

  private void at(long millisAfterStart) {
    clock.set(1_000 + millisAfterStart);
  }

  private int keyCount(String stateName) {
    int[] n = {0};
    backend.forEachKey(stateName, k -> n[0]++);
    return n[0];
  }

  @Test
  void aValueExpiresTtlAfterItsLastWrite() {
    ValueState<String> v =
        backend.getState(ValueStateDescriptor.of("v", String.class).withTtl(TEN_MS));
    backend.setCurrentKey("k");
    at(0);
    v.update("a");
    at(9);
    assertEquals("a", v.value());
    at(5);
    v.update("b");
    at(14);
    assertEquals("b", v.value(), "the write at 5 renewed it; reads do not");
    at(15);
    assertNull(v.value());
    assertEquals(0, keyCount("v"), "the read that found it expired removed it");
  }

  @Test
  void readsRenewWithOnReadAndWrite() {
    ValueState<String> v =
        backend.getState(ValueStateDescriptor.of("v", String.class).withTtl(RENEWED_ON_READ));
    backend.setCurrentKey("k");
    at(0);
    v.update("a");
    at(8);
    assertEquals("a", v.value());
    at(17);
    assertEquals("a", v.value());
    at(26);
    assertEquals("a", v.value());
    at(36);
    assertNull(v.value());
  }

  @Test
  void returnExpiredIfNotCleanedUpReturnsItOnceThenItIsGone() {
    ValueState<String> v =
        backend.getState(ValueStateDescriptor.of("v", String.class).withTtl(RETURNS_EXPIRED));
    backend.setCurrentKey("k");
    at(0);
    v.update("a");
    at(50);
    assertEquals(1, keyCount("v"));
    assertEquals("a", v.value(), "expired but not yet cleaned up");
    assertNull(v.value(), "the read removed it");

    v.update("b");
    at(100);
    assertEquals(1, backend.cleanupExpired(10));
    assertNull(v.value(), "cleaned up before the read");
  }

  @Test
  void aTtlUnderAMillisecondLastsOne() {
    ValueState<String> v = backend.getState(ValueStateDescriptor.of("v", String.class)
        .withTtl(StateTtlConfig.of(Duration.ofNanos(1))));
    backend.setCurrentKey("k");
    at(0);
    v.update("a");
    assertEquals("a", v.value());
    at(1);
    assertNull(v.value());
  }

  @Test
  void listElementsExpireOneByOne() {
    ListState<String> l =
        backend.getState(ListStateDescriptor.of("l", String.class).withTtl(TEN_MS));
    backend.setCurrentKey("k");
    at(0);
    l.add("a");
    at(5);
    l.addAll(List.of("b", "c"));
    at(10);
    assertEquals(List.of("b", "c"), list(l.get()));
    at(15);
    assertNull(l.get());
    assertEquals(0, keyCount("l"));
    l.update(List.of("d"));
    at(24);
    assertEquals(List.of("d"), list(l.get()));
  }

  @Test
  void listElementsReturnedExpiredAndRenewedOnRead() {
    ListState<String> shown = backend.getState(
        ListStateDescriptor.of("shown", String.class).withTtl(RETURNS_EXPIRED));
    ListState<String> renewed = backend.getState(
        ListStateDescriptor.of("renewed", String.class).withTtl(RENEWED_ON_READ));
    backend.setCurrentKey("k");
    at(0);
    shown.add("old");
    renewed.add("old");
    at(6);
    shown.add("new");
    renewed.add("new");
    at(9);
    assertEquals(List.of("old", "new"), list(renewed.get()), "renews both at 9");
    at(12);
    assertEquals(List.of("old", "new"), list(shown.get()), "old returned though expired");
    assertEquals(List.of("new"), list(shown.get()), "and removed by that read");
    at(18);
    assertEquals(List.of("old", "new"), list(renewed.get()));
    at(28);
    assertNull(renewed.get());
  }

  @Test
  void mapEntriesExpireOneByOne() {
    MapState<String, Integer> m = backend.getState(
        MapStateDescriptor.of("m", String.class, Integer.class).withTtl(TEN_MS));
    backend.setCurrentKey("k");
    at(0);
    m.put("a", 1);
    at(5);
    m.putAll(Map.of("b", 2));
    at(12);
    assertNull(m.get("a"));
    assertFalse(m.contains("a"));
    assertTrue(m.contains("b"));
    assertEquals(List.of("b"), list(m.keys()));
    assertEquals(List.of(2), list(m.values()));
    m.put("a", 3);
    at(15);
    assertEquals(List.of(Map.entry("a", 3)), list(m.entries()));
    at(22);
    assertTrue(m.isEmpty());
    assertEquals(0, keyCount("m"));
  }

  @Test
  void mapEntriesRenewedOnReadAndReturnedExpired() {
    MapState<String, Integer> renewed = backend.getState(
        MapStateDescriptor.of("renewed", String.class, Integer.class).withTtl(RENEWED_ON_READ));
    MapState<String, Integer> shown = backend.getState(
        MapStateDescriptor.of("shown", String.class, Integer.class).withTtl(RETURNS_EXPIRED));
    backend.setCurrentKey("k");
    at(0);
    renewed.put("a", 1);
    renewed.put("b", 2);
    shown.put("a", 1);
    at(8);
    assertEquals(1, renewed.get("a"));
    at(15);
    assertEquals(List.of("a"), list(renewed.keys()), "b was not read, so it expired");
    assertEquals(List.of(Map.entry("a", 1)), list(shown.entries()));
    assertTrue(shown.isEmpty());
  }

  @Test
  void reducingAndAggregatingValuesExpireAndStartAfresh() {
    ReducingState<Long> sum = backend.getState(
        ReducingStateDescriptor.of("sum", Long::sum, Long.class).withTtl(RETURNS_EXPIRED));
    AggregatingState<Long, Double> avg = backend.getState(AggregatingStateDescriptor
        .of("avg", new KeyedStateBackendTest.Average(), long[].class).withTtl(TEN_MS));
    backend.setCurrentKey("k");
    at(0);
    sum.add(1L);
    avg.add(1L);
    at(5);
    sum.add(2L);
    avg.add(2L);
    at(14);
    assertEquals(3L, sum.get());
    assertEquals(1.5, avg.get());
    at(15);
    assertNull(avg.get());
    sum.add(10L);
    assertEquals(10L, sum.get(), "an expired value is not reduced with, even if visible");
    avg.add(4L);
    assertEquals(4.0, avg.get());
  }

  @Test
  void cleanupRemovesExpiredValuesAndCountsThem() {
    ValueState<Integer> v =
        backend.getState(ValueStateDescriptor.of("v", Integer.class).withTtl(TEN_MS));
    ValueState<Integer> forever = backend.getState(ValueStateDescriptor.of("f", Integer.class));
    ListState<Integer> l =
        backend.getState(ListStateDescriptor.of("l", Integer.class).withTtl(TEN_MS));
    at(0);
    for (int key = 0; key < 5; key++) {
      backend.setCurrentKey(key);
      v.update(key);
      forever.update(key);
    }
    backend.setCurrentKey("list");
    l.addAll(List.of(1, 2, 3));
    at(8);
    for (int key = 5; key < 8; key++) {
      backend.setCurrentKey(key);
      v.update(key);
    }
    backend.setCurrentKey("list");
    l.add(4);
    at(9);
    assertEquals(0, backend.cleanupExpired(100), "nothing expired yet");
    at(10);
    assertEquals(5 + 3, backend.cleanupExpired(100));
    assertEquals(3, keyCount("v"));
    assertEquals(5, keyCount("f"), "a state without ttl is never cleaned up");
    backend.setCurrentKey("list");
    assertEquals(List.of(4), list(l.get()));
    assertEquals(0, backend.cleanupExpired(100));
    at(100);
    assertEquals(4, backend.cleanupExpired(100));
    assertEquals(0, keyCount("v"));
    assertEquals(0, keyCount("l"));
    assertThrows(IllegalArgumentException.class, () -> backend.cleanupExpired(-1));
  }

  @Test
  void cleanupKeepsToItsBudgetAndResumes() {
    ListState<Integer> l =
        backend.getState(ListStateDescriptor.of("l", Integer.class).withTtl(TEN_MS));
    ValueState<Integer> v =
        backend.getState(ValueStateDescriptor.of("v", Integer.class).withTtl(TEN_MS));
    at(0);
    for (int key = 0; key < 200; key++) {
      backend.setCurrentKey(key);
      v.update(key);
    }
    backend.setCurrentKey("list");
    l.addAll(List.of(1, 2, 3, 4, 5));
    at(20);
    assertEquals(0, backend.cleanupExpired(0));
    int calls = 0;
    int total = 0;
    for (int n = backend.cleanupExpired(3); n > 0; n = backend.cleanupExpired(3)) {
      assertTrue(n <= 3);
      total += n;
      calls++;
    }
    assertEquals(205, total);
    assertEquals(69, calls, "205 values, 3 a call: 68 full calls and one of 1");
    assertTrue(backend.keyGroupsWithState().isEmpty());
  }

  @Test
  void cleanupSeesKeysAddedBetweenCalls() {
    ValueState<Integer> v =
        backend.getState(ValueStateDescriptor.of("v", Integer.class).withTtl(TEN_MS));
    at(0);
    for (int key = 0; key < 50; key++) {
      backend.setCurrentKey(key);
      v.update(key);
    }
    at(10);
    assertEquals(1, backend.cleanupExpired(1));
    for (int key = 50; key < 100; key++) {
      backend.setCurrentKey(key);
      v.update(key);
    }
    backend.setCurrentKey(7);
    v.clear();
    at(20);
    assertEquals(98, backend.cleanupExpired(1000));
    assertEquals(0, keyCount("v"));
  }
}
