package io.weir.stream.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.api.CoGroupFunction;
import io.weir.stream.api.ProcessJoinFunction;
import io.weir.stream.api.windowing.TimeWindow;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import io.weir.stream.internal.windowing.IntervalJoinOperator;
import io.weir.stream.internal.windowing.Tagged;
import io.weir.stream.internal.windowing.WindowContents;
import io.weir.stream.internal.windowing.WindowJoins;
import io.weir.stream.internal.windowing.WindowOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Interval joins against a model, and the pairing of window joins and co-groups. */
class JoinOperatorsTest {
  /** A left element. */
  record Order(int key, long ts, int id) {}

  /** A right element. */
  record Payment(int key, long ts, int id) {}

  /** A joined pair, with the timestamps its context gave. */
  record Pair(int order, int payment, long leftTs, long rightTs) {}

  static int keyOf(Tagged t) {
    return t.value() instanceof Order o ? o.key() : ((Payment) t.value()).key();
  }

  static long tsOf(Tagged t) {
    return t.value() instanceof Order o ? o.ts() : ((Payment) t.value()).ts();
  }

  static final ProcessJoinFunction<Order, Payment, Pair> PAIR =
      (o, p, ctx, out) -> out.collect(new Pair(o.id(), p.id(), ctx.leftTimestamp(),
          ctx.rightTimestamp()));

  @ParameterizedTest(name = "seed {0}, between {1} and {2}")
  @CsvSource({"1, -50, 20", "2, 0, 100", "3, -100, -10", "4, 30, 30"})
  void intervalJoinMatchesTheModel(long seed, long lower, long upper) throws Exception {
    System.out.println("seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    long disorder = 40;
    List<long[]> arrivals = new ArrayList<>();
    List<Tagged> elements = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      long ts = r.nextLong(0, 5000);
      int key = r.nextInt(4);
      Tagged t = r.nextBoolean() ? new Tagged(0, new Order(key, ts, i))
          : new Tagged(1, new Payment(key, ts, i));
      elements.add(t);
      arrivals.add(new long[] {ts + r.nextLong(0, disorder + 1), i});
    }
    arrivals.sort(Comparator.comparingLong(a -> a[0]));

    List<Pair> expected = new ArrayList<>();
    for (Tagged a : elements) {
      for (Tagged b : elements) {
        if (a.value() instanceof Order o && b.value() instanceof Payment p && o.key() == p.key()
            && o.ts() + lower <= p.ts() && p.ts() <= o.ts() + upper) {
          expected.add(new Pair(o.id(), p.id(), o.ts(), p.ts()));
        }
      }
    }

    var op = new IntervalJoinOperator<Integer, Order, Payment, Pair>(lower, upper, PAIR);
    try (var h = new OperatorHarness<Integer, Tagged, Pair>(op, JoinOperatorsTest::keyOf)) {
      long max = Long.MIN_VALUE;
      for (long[] a : arrivals) {
        Tagged t = elements.get((int) a[1]);
        h.element(t, tsOf(t));
        max = Math.max(max, tsOf(t));
        if (a[1] % 7 == 0) {
          h.watermark(max - 2 * disorder - 1);
        }
      }
      h.watermark(Long.MAX_VALUE);
      Comparator<Pair> order = Comparator.comparingInt(Pair::order)
          .thenComparingInt(Pair::payment);
      assertEquals(expected.stream().sorted(order).toList(),
          h.values().stream().sorted(order).toList());
      assertEquals(0, op.droppedLateRecords());
      assertTrue(h.isClean(), "every buffer is cleaned up");
    }
  }

  @Test
  void intervalJoinCleansBuffersAsTheWatermarkPassesAndDropsLateElements() throws Exception {
    var op = new IntervalJoinOperator<Integer, Order, Payment, Pair>(-10, 20, PAIR);
    try (var h = new OperatorHarness<Integer, Tagged, Pair>(op, JoinOperatorsTest::keyOf)) {
      h.element(new Tagged(0, new Order(1, 100, 1)), 100L); // kept until 120
      h.element(new Tagged(1, new Payment(1, 95, 2)), 95L); // kept until 105
      assertEquals(List.of(new Pair(1, 2, 100, 95)), h.values());
      h.watermark(105);
      assertEquals(1, h.backend.keyGroupsWithState().size());
      h.watermark(120);
      assertTrue(h.isClean());
      h.element(new Tagged(1, new Payment(1, 119, 3)), 119L); // behind the watermark
      assertEquals(1, op.droppedLateRecords());
      assertEquals(1, h.values().size());
    }
    assertThrows(IllegalArgumentException.class,
        () -> new IntervalJoinOperator<Integer, Order, Payment, Pair>(5, 4, PAIR));
  }

  /** One key and window of a co-group: the ids on both sides. */
  record Group(List<Integer> orders, List<Integer> payments) {}

  @Test
  void windowJoinPairsEveryElementOfAWindowAndCoGroupSeesEmptySides() throws Exception {
    CoGroupFunction<Order, Payment, Group> groups = (os, ps, out) -> {
      List<Integer> o = new ArrayList<>();
      List<Integer> p = new ArrayList<>();
      os.forEach(x -> o.add(x.id()));
      ps.forEach(x -> p.add(x.id()));
      out.collect(new Group(o, p));
    };
    CoGroupFunction<Order, Payment, Pair> join = WindowJoins.pairs(
        (o, p) -> new Pair(o.id(), p.id(), o.ts(), p.ts()));
    List<Tagged> input = List.of(
        new Tagged(0, new Order(1, 5, 1)), new Tagged(1, new Payment(1, 7, 2)),
        new Tagged(0, new Order(1, 9, 3)), new Tagged(1, new Payment(1, 2, 4)),
        new Tagged(1, new Payment(1, 12, 5)), // window [10, 20): no order
        new Tagged(0, new Order(2, 3, 6)), // key 2: no payment
        new Tagged(1, new Payment(2, 25, 7)), new Tagged(0, new Order(2, 21, 8)));
    var assigner = TumblingEventTimeWindows.of(Duration.ofMillis(10));

    var joinOp = new WindowOperator<>(assigner, assigner.defaultTrigger(), 0, null,
        WindowContents.elements(WindowJoins.<Order, Payment, Pair, Integer, TimeWindow>
            coGroupWindowFunction(join)));
    try (var h = new OperatorHarness<Integer, Tagged, Pair>(joinOp, JoinOperatorsTest::keyOf)) {
      for (Tagged t : input) {
        h.element(t, tsOf(t));
      }
      h.watermark(Long.MAX_VALUE);
      Comparator<Pair> order = Comparator.comparingInt(Pair::order)
          .thenComparingInt(Pair::payment);
      assertEquals(List.of(new Pair(1, 2, 5, 7), new Pair(1, 4, 5, 2), new Pair(3, 2, 9, 7),
          new Pair(3, 4, 9, 2), new Pair(8, 7, 21, 25)),
          h.values().stream().sorted(order).toList());
    }

    var groupOp = new WindowOperator<>(assigner, assigner.defaultTrigger(), 0, null,
        WindowContents.elements(WindowJoins.<Order, Payment, Group, Integer, TimeWindow>
            coGroupWindowFunction(groups)));
    try (var h = new OperatorHarness<Integer, Tagged, Group>(groupOp,
        JoinOperatorsTest::keyOf)) {
      for (Tagged t : input) {
        h.element(t, tsOf(t));
      }
      h.watermark(Long.MAX_VALUE);
      List<Group> actual = h.values().stream()
          .sorted(Comparator.comparing(Object::toString)).toList();
      assertEquals(List.of(new Group(List.of(), List.of(5)), new Group(List.of(1, 3),
          List.of(2, 4)), new Group(List.of(6), List.of()), new Group(List.of(8), List.of(7)))
          .stream().sorted(Comparator.comparing(Object::toString)).toList(), actual);
    }
  }
}
