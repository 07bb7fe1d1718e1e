package io.weir.stream.internal.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.state.AggregatingState;
import io.weir.stream.api.state.AggregatingStateDescriptor;
import io.weir.stream.api.state.ListState;
import io.weir.stream.api.state.ListStateDescriptor;
import io.weir.stream.api.state.MapState;
import io.weir.stream.api.state.MapStateDescriptor;
import io.weir.stream.api.state.ReducingState;
import io.weir.stream.api.state.ReducingStateDescriptor;
import io.weir.stream.api.state.StateTtlConfig;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import io.weir.stream.internal.KeyGroupRange;
import io.weir.stream.internal.KeyGroups;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KeyedStateBackendTest {
  private final KeyedStateBackend backend =
      new KeyedStateBackend(new KeyGroupRange(0, 127), 128, () -> 0L);

  /** Averages longs; the accumulator is {sum, count}. */
  static final class Average implements AggregateFunction<Long, long[], Double> {
    @Override
    public long[] createAccumulator() {
      return new long[2];
    }

    @Override
    public long[] add(Long value, long[] acc) {
      acc[0] += value;
      acc[1]++;
      return acc;
    }

    @Override
    public Double getResult(long[] acc) {
      return (double) acc[0] / acc[1];
    }

    @Override
    public long[] merge(long[] a, long[] b) {
      return new long[] {a[0] + b[0], a[1] + b[1]};
    }
  }

  static <T> List<T> list(Iterable<T> iterable) {
    if (iterable == null) {
      return null;
    }
    List<T> result = new ArrayList<>();
    iterable.forEach(result::add);
    return result;
  }

  @Test
  void valueStateIsPerKey() {
    ValueState<Long> count = backend.getState(ValueStateDescriptor.of("count", Long.class));
    backend.setCurrentKey("a");
    assertNull(count.value());
    count.update(1L);
    backend.setCurrentKey("b");
    assertNull(count.value());
    count.update(7L);
    backend.setCurrentKey("a");
    assertEquals(1L, count.value());
    count.update(2L);
    backend.setCurrentKey("b");
    assertEquals(7L, count.value());
    count.update(null);
    assertNull(count.value());
    backend.setCurrentKey("a");
    assertEquals(2L, count.value());
    count.clear();
    assertNull(count.value());
    assertTrue(backend.keyGroupsWithState().isEmpty());
  }

  @Test
  void listStateAppendsReplacesAndClears() {
    ListState<String> names = backend.getState(ListStateDescriptor.of("names", String.class));
    backend.setCurrentKey(1);
    assertNull(names.get());
    names.add("x");
    names.addAll(List.of("y", "z"));
    assertEquals(List.of("x", "y", "z"), list(names.get()));
    backend.setCurrentKey(2);
    assertNull(names.get());
    names.update(List.of("q"));
    assertEquals(List.of("q"), list(names.get()));
    backend.setCurrentKey(1);
    names.update(List.of("w", "v"));
    assertEquals(List.of("w", "v"), list(names.get()));
    names.addAll(List.of());
    assertEquals(List.of("w", "v"), list(names.get()));
    names.update(List.of());
    assertNull(names.get());
    backend.setCurrentKey(2);
    names.clear();
    assertNull(names.get());
    assertTrue(backend.keyGroupsWithState().isEmpty());
  }

  @Test
  void listStateRefusesNullsAndStaysUnchanged() {
    ListState<String> names = backend.getState(ListStateDescriptor.of("names", String.class));
    backend.setCurrentKey("k");
    names.add("a");
    NullPointerException e = assertThrows(NullPointerException.class, () -> names.add(null));
    assertTrue(e.getMessage().contains("'names'"), e.getMessage());
    assertThrows(NullPointerException.class, () -> names.update(null));
    assertThrows(NullPointerException.class, () -> names.update(Arrays.asList("b", null)));
    assertThrows(NullPointerException.class, () -> names.addAll(Arrays.asList("c", null)));
    assertEquals(List.of("a"), list(names.get()));
    assertThrows(UnsupportedOperationException.class,
        () -> ((List<String>) names.get()).add("sneaky"));
    assertEquals(List.of("a"), list(names.get()));
  }

  @Test
  void mapStateIsAMapPerKey() {
    MapState<String, Integer> m =
        backend.getState(MapStateDescriptor.of("m", String.class, Integer.class));
    backend.setCurrentKey("k1");
    assertTrue(m.isEmpty());
    assertEquals(List.of(), list(m.keys()));
    assertNull(m.get("a"));
    m.put("a", 1);
    m.put("b", 2);
    m.put("a", 3);
    assertEquals(3, m.get("a"));
    assertTrue(m.contains("b"));
    assertFalse(m.contains("c"));
    assertEquals(List.of("a", "b"), list(m.keys()));
    assertEquals(List.of(3, 2), list(m.values()));
    assertEquals(List.of(Map.entry("a", 3), Map.entry("b", 2)), list(m.entries()));
    backend.setCurrentKey("k2");
    assertTrue(m.isEmpty());
    Map<String, Integer> more = new LinkedHashMap<>();
    more.put("c", 5);
    more.put("d", 6);
    m.putAll(more);
    assertEquals(List.of("c", "d"), list(m.keys()));
    backend.setCurrentKey("k1");
    m.remove("a");
    m.remove("missing");
    assertEquals(List.of("b"), list(m.keys()));
    m.remove("b");
    assertTrue(m.isEmpty());
    backend.setCurrentKey("k2");
    m.clear();
    assertTrue(backend.keyGroupsWithState().isEmpty());
  }

  @Test
  void mapStateRefusesNulls() {
    MapState<String, Integer> m =
        backend.getState(MapStateDescriptor.of("m", String.class, Integer.class));
    backend.setCurrentKey("k");
    assertThrows(NullPointerException.class, () -> m.put(null, 1));
    assertThrows(NullPointerException.class, () -> m.put("a", null));
    assertThrows(NullPointerException.class, () -> m.get(null));
    assertThrows(NullPointerException.class, () -> m.putAll(null));
    Map<String, Integer> withNull = new LinkedHashMap<>();
    withNull.put("x", 1);
    withNull.put("y", null);
    assertThrows(NullPointerException.class, () -> m.putAll(withNull));
    assertTrue(m.isEmpty());
  }

  @Test
  void reducingStateReducesPerKey() {
    ReducingState<Long> sum =
        backend.getState(ReducingStateDescriptor.of("sum", Long::sum, Long.class));
    backend.setCurrentKey("a");
    assertNull(sum.get());
    sum.add(3L);
    sum.add(4L);
    backend.setCurrentKey("b");
    sum.add(10L);
    backend.setCurrentKey("a");
    assertEquals(7L, sum.get());
    backend.setCurrentKey("b");
    assertEquals(10L, sum.get());
    sum.clear();
    assertNull(sum.get());
    assertThrows(NullPointerException.class, () -> sum.add(null));
  }

  @Test
  void reduceFunctionFailuresAreReported() {
    ReducingState<Long> failing = backend.getState(ReducingStateDescriptor.of("failing",
        (a, b) -> {
          throw new IOException("disk on fire");
        }, Long.class));
    ReducingState<Long> nulls =
        backend.getState(ReducingStateDescriptor.of("nulls", (a, b) -> null, Long.class));
    backend.setCurrentKey("a");
    failing.add(1L);
    StateFunctionException e = assertThrows(StateFunctionException.class, () -> failing.add(2L));
    assertTrue(e.getMessage().contains("'failing'"), e.getMessage());
    assertEquals("disk on fire", e.getCause().getMessage());
    assertEquals(1L, failing.get());
    nulls.add(1L);
    assertThrows(NullPointerException.class, () -> nulls.add(2L));
    assertEquals(1L, nulls.get());
  }

  @Test
  void aggregatingStateAggregatesPerKey() {
    AggregatingState<Long, Double> avg = backend.getState(
        AggregatingStateDescriptor.of("avg", new Average(), long[].class));
    backend.setCurrentKey("a");
    assertNull(avg.get());
    avg.add(1L);
    avg.add(2L);
    backend.setCurrentKey("b");
    avg.add(10L);
    backend.setCurrentKey("a");
    assertEquals(1.5, avg.get());
    avg.add(6L);
    assertEquals(3.0, avg.get());
    backend.setCurrentKey("b");
    assertEquals(10.0, avg.get());
    avg.clear();
    assertNull(avg.get());
    assertThrows(NullPointerException.class, () -> avg.add(null));
  }

  @Test
  void sameNameGivesTheSameState() {
    ValueState<Long> first = backend.getState(ValueStateDescriptor.of("v", Long.class));
    ValueState<Long> second = backend.getState(ValueStateDescriptor.of("v", Long.class));
    assertSame(first, second);
    // A reduce function created anew (as in a second open) is not compared.
    ReducingState<Long> r1 =
        backend.getState(ReducingStateDescriptor.of("r", (a, b) -> a + b, Long.class));
    ReducingState<Long> r2 =
        backend.getState(ReducingStateDescriptor.of("r", (a, b) -> a * b, Long.class));
    assertSame(r1, r2);
    assertEquals(List.of("v", "r"), new ArrayList<>(backend.stateNames()));
  }

  @Test
  void sameNameWithAnotherKindOrTypeIsRefused() {
    backend.getState(ValueStateDescriptor.of("s", Long.class));
    IllegalStateException kind = assertThrows(IllegalStateException.class,
        () -> backend.getState(ListStateDescriptor.of("s", Long.class)));
    assertEquals("state 's' is registered as ValueState<java.lang.Long> and cannot be used as "
        + "ListState<java.lang.Long>", kind.getMessage());
    IllegalStateException type = assertThrows(IllegalStateException.class,
        () -> backend.getState(ValueStateDescriptor.of("s", String.class)));
    assertTrue(type.getMessage().contains("java.lang.String"), type.getMessage());
    StateTtlConfig minute = StateTtlConfig.of(Duration.ofMinutes(1));
    assertThrows(IllegalStateException.class,
        () -> backend.getState(ValueStateDescriptor.of("s", Long.class).withTtl(minute)));
    backend.getState(AggregatingStateDescriptor.of("agg", new Average(), long[].class));
    assertThrows(IllegalStateException.class, () -> backend.getState(
        ReducingStateDescriptor.of("agg", Long::sum, Long.class)));
  }

  @Test
  void stateNeedsACurrentKey() {
    ValueState<Long> v = backend.getState(ValueStateDescriptor.of("v", Long.class));
    IllegalStateException e = assertThrows(IllegalStateException.class, v::value);
    assertTrue(e.getMessage().contains("no current key"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> v.update(1L));
    assertThrows(IllegalStateException.class, v::clear);
    assertNull(backend.currentKey());
    assertEquals(-1, backend.currentKeyGroup());
    assertThrows(NullPointerException.class, () -> backend.setCurrentKey(null));
  }

  @Test
  void aKeyOutsideTheRangeIsRefused() {
    KeyGroupRange firstHalf = KeyGroupRange.forSubtask(128, 2, 0);
    KeyedStateBackend half = new KeyedStateBackend(firstHalf, 128, () -> 0L);
    assertEquals(66, KeyGroups.assign("world", 128));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> half.setCurrentKey("world"));
    assertEquals("key world is in key group 66, outside this backend's key groups 0..63",
        e.getMessage());
    half.setCurrentKey("hello");
    assertEquals("hello", half.currentKey());
    assertEquals(35, half.currentKeyGroup());
    assertThrows(IllegalArgumentException.class,
        () -> new KeyedStateBackend(new KeyGroupRange(0, 128), 128, () -> 0L));
  }

  @Test
  void entriesAreStoredPerKeyGroup() {
    ValueState<Long> v = backend.getState(ValueStateDescriptor.of("v", Long.class));
    ListState<Long> l = backend.getState(ListStateDescriptor.of("l", Long.class));
    // Pinned in KeyGroupsTest: "hello" 35, "world" 66, 42 29, 0 94.
    backend.setCurrentKey("hello");
    v.update(1L);
    backend.setCurrentKey("world");
    v.update(2L);
    backend.setCurrentKey(42);
    l.add(3L);
    backend.setCurrentKey(0);
    l.add(4L);
    assertEquals(new TreeSet<>(List.of(29, 35, 66, 94)), backend.keyGroupsWithState());

    Set<Object> keysOfV = new HashSet<>();
    backend.forEachKey("v", keysOfV::add);
    assertEquals(Set.of("hello", "world"), keysOfV);
    List<Object> inGroup66 = new ArrayList<>();
    backend.forEachKey("v", 66, inGroup66::add);
    assertEquals(List.of("world"), inGroup66);
    List<Object> inGroup35OfL = new ArrayList<>();
    backend.forEachKey("l", 35, inGroup35OfL::add);
    assertEquals(List.of(), inGroup35OfL);
    assertThrows(IllegalArgumentException.class, () -> backend.forEachKey("nope", k -> { }));

    backend.setCurrentKey("world");
    v.clear();
    assertEquals(new TreeSet<>(List.of(29, 35, 94)), backend.keyGroupsWithState());
  }

  @Test
  void manyKeysKeepTheirOwnValues() {
    ValueState<Integer> v = backend.getState(ValueStateDescriptor.of("v", Integer.class));
    for (int key = 0; key < 1000; key++) {
      backend.setCurrentKey("key-" + key);
      v.update(key * 3);
    }
    for (int key = 999; key >= 0; key--) {
      backend.setCurrentKey("key-" + key);
      assertEquals(key * 3, v.value());
    }
    int[] count = {0};
    backend.forEachKey("v", k -> count[0]++);
    assertEquals(1000, count[0]);
    assertEquals(128, backend.keyGroupsWithState().size());
  }

  /** What the four states hold for one key, in plain collections. */
  record Model(Long value, List<Long> list, Map<String, Long> map, long sum, long count) {
    Model copy() {
      return new Model(value, new ArrayList<>(list), new LinkedHashMap<>(map), sum, count);
    }
  }

  /** The four states of one backend. */
  record States(ValueState<Long> value, ListState<Long> list, MapState<String, Long> map,
      AggregatingState<Long, Double> avg) {
    static States of(KeyedStateBackend b) {
      return new States(b.getState(ValueStateDescriptor.of("value", Long.class)),
          b.getState(ListStateDescriptor.of("list", Long.class)),
          b.getState(MapStateDescriptor.of("map", String.class, Long.class)),
          b.getState(AggregatingStateDescriptor.of("avg", new Average(), long[].class)));
    }
  }

  /**
   * A snapshot is frozen at once and written out later: whatever changes come after the freeze
   * (updates, appends, removals, in-place changes of an accumulator, new keys, cleared keys),
   * the written-out snapshot restores exactly the state at the freeze.
   */
  @Test
  void aFrozenSnapshotIsUnchangedByLaterWrites() throws Exception {
    java.util.Random random = new java.util.Random(42);
    States states = States.of(backend);
    Map<Integer, Model> model = new java.util.HashMap<>();
    List<java.util.function.Supplier<List<KeyGroupSnapshot>>> frozen = new ArrayList<>();
    List<Map<Integer, Model>> expected = new ArrayList<>();
    for (int step = 0; step < 20_000; step++) {
      int key = random.nextInt(300);
      backend.setCurrentKey(key);
      Model m = model.getOrDefault(key, new Model(null, List.of(), Map.of(), 0, 0)).copy();
      long v = random.nextInt(1000);
      switch (random.nextInt(6)) {
        case 0 -> {
          states.value().update(v);
          m = new Model(v, m.list(), m.map(), m.sum(), m.count());
        }
        case 1 -> {
          states.list().add(v);
          m.list().add(v);
        }
        case 2 -> {
          states.map().put("k" + (v % 7), v);
          m.map().put("k" + (v % 7), v);
        }
        case 3 -> {
          states.avg().add(v);
          m = new Model(m.value(), m.list(), m.map(), m.sum() + v, m.count() + 1);
        }
        case 4 -> {
          states.map().remove("k" + (v % 7));
          m.map().remove("k" + (v % 7));
        }
        default -> {
          states.value().clear();
          states.list().clear();
          m = new Model(null, List.of(), m.map(), m.sum(), m.count());
        }
      }
      model.put(key, m);
      if (step % 2_500 == 1_000) {
        frozen.add(backend.freeze(null));
        Map<Integer, Model> copy = new java.util.HashMap<>();
        model.forEach((k, x) -> copy.put(k, x.copy()));
        expected.add(copy);
      }
    }
    assertTrue(frozen.size() >= 7);
    for (int i = 0; i < frozen.size(); i++) {
      KeyedStateBackend restored = new KeyedStateBackend(new KeyGroupRange(0, 127), 128, () -> 0L);
      restored.restore(frozen.get(i).get(), null);
      States r = States.of(restored);
      for (Map.Entry<Integer, Model> e : expected.get(i).entrySet()) {
        restored.setCurrentKey(e.getKey());
        Model m = e.getValue();
        String where = "snapshot " + i + ", key " + e.getKey();
        assertEquals(m.value(), r.value().value(), where);
        assertEquals(m.list().isEmpty() ? null : m.list(), list(r.list().get()), where);
        Map<String, Long> map = new LinkedHashMap<>();
        if (r.map().entries() != null) {
          r.map().entries().forEach(x -> map.put(x.getKey(), x.getValue()));
        }
        assertEquals(m.map(), map, where);
        assertEquals(m.count() == 0 ? null : (double) m.sum() / m.count(), r.avg().get(), where);
      }
    }
  }

  /**
   * Values changed in place after a freeze (a list held in a map state, as the window operator
   * keeps a window's elements; an array in a value state; a mutable object) leave the frozen
   * snapshot as it was.
   */
  @Test
  void valuesChangedInPlaceAfterAFreezeLeaveTheSnapshotAlone() throws Exception {
    @SuppressWarnings({"unchecked", "rawtypes"})
    MapStateDescriptor<Long, List<String>> ownersOf = (MapStateDescriptor) MapStateDescriptor.of(
        "owners", Long.class, List.class);
    MapState<Long, List<String>> owners = backend.getState(ownersOf);
    ValueState<long[]> counts = backend.getState(ValueStateDescriptor.of("counts", long[].class));
    ValueState<Box> box = backend.getState(ValueStateDescriptor.of("box", Box.class));
    backend.setCurrentKey("k");
    owners.put(10L, new ArrayList<>(List.of("a")));
    counts.update(new long[] {1, 2});
    box.update(new Box());
    java.util.function.Supplier<List<KeyGroupSnapshot>> frozen = backend.freeze(null);
    owners.get(10L).add("b");          // in place, no put
    counts.value()[0] = 99;            // in place, no update
    box.value().n = 7;
    KeyedStateBackend restored = new KeyedStateBackend(new KeyGroupRange(0, 127), 128, () -> 0L);
    restored.restore(frozen.get(), null);
    restored.setCurrentKey("k");
    assertEquals(List.of("a"), restored.getState(ownersOf).get(10L));
    assertEquals(1, restored.getState(ValueStateDescriptor.of("counts", long[].class))
        .value()[0]);
    assertEquals(0, restored.getState(ValueStateDescriptor.of("box", Box.class)).value().n);
  }

  /** A mutable value. */
  public static final class Box {
    public int n;
  }
}
