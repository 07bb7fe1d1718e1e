package io.weir.stream.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.windowing.EventTimeSessionWindows;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.SlidingEventTimeWindows;
import io.weir.stream.api.windowing.TimeWindow;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import io.weir.stream.api.windowing.WindowAssigner;
import io.weir.stream.internal.windowing.WindowContents;
import io.weir.stream.internal.windowing.WindowOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tumbling, sliding and session windows on shuffled, out-of-order input with a lagging
 * watermark (no element late) give the results of a simple model, in every window function style
 * (process; reduce and aggregate, plain and with a process function), exactly one result per
 * window, and leave no state or timer behind.
 */
class WindowModelTest {
  /** An input element. */
  record Ev(int key, long ts, long value) {}

  /** One window's result. */
  record Result(int key, long start, long end, long sum, long count) {}

  static final long DISORDER = 300;

  /** Events with random keys and times, in a shuffled arrival order within {@link #DISORDER}. */
  static List<Ev> arrivals(long seed, int count) {
    System.out.println("seed " + seed);
    SplittableRandom r = new SplittableRandom(seed);
    List<long[]> keyed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long ts = r.nextLong(0, 20_000);
      keyed.add(new long[] {ts + r.nextLong(0, DISORDER + 1), r.nextInt(5), ts, r.nextLong(-50,
          100)});
    }
    keyed.sort(Comparator.comparingLong(a -> a[0]));
    return keyed.stream().map(a -> new Ev((int) a[1], a[2], a[3])).toList();
  }

  static Map<List<Long>, Result> model(List<Ev> events,
      Function<Ev, List<TimeWindow>> windowsOf) {
    Map<List<Long>, Result> out = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Ev e : events) {
      for (TimeWindow w : windowsOf.apply(e)) {
        out.merge(List.of((long) e.key(), w.start(), w.end()),
            new Result(e.key(), w.start(), w.end(), e.value(), 1),
            (a, b) -> new Result(a.key(), a.start(), a.end(), a.sum() + b.sum(),
                a.count() + b.count()));
      }
    }
    return out;
  }

  static Map<List<Long>, Result> sessionModel(List<Ev> events, long gap) {
    Map<List<Long>, Result> out = new TreeMap<>(Comparator.comparing(Object::toString));
    Map<Integer, List<Ev>> byKey = new TreeMap<>();
    events.forEach(e -> byKey.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e));
    byKey.forEach((k, es) -> {
      List<Ev> sorted = es.stream().sorted(Comparator.comparingLong(Ev::ts)).toList();
      long start = sorted.get(0).ts();
      long end = start + gap;
      long sum = 0;
      long count = 0;
      for (Ev e : sorted) {
        if (e.ts() > end) {
          out.put(List.of((long) k, start, end), new Result(k, start, end, sum, count));
          start = e.ts();
          sum = 0;
          count = 0;
        }
        end = Math.max(end, e.ts() + gap);
        sum += e.value();
        count++;
      }
      out.put(List.of((long) k, start, end), new Result(k, start, end, sum, count));
    });
    return out;
  }

  static final ProcessWindowFunction<Ev, Result, Integer, TimeWindow> ALL =
      (key, ctx, elements, out) -> {
        long sum = 0;
        long count = 0;
        for (Ev e : elements) {
          sum += e.value();
          count++;
        }
        out.collect(new Result(key, ctx.window().start(), ctx.window().end(), sum, count));
      };

  /** Sum and count, as an aggregate. */
  static final class SumCount implements AggregateFunction<Ev, long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[2];
    }

    @Override
    public long[] add(Ev value, long[] acc) {
      return new long[] {acc[0] + value.value(), acc[1] + 1};
    }

    @Override
    public long[] getResult(long[] acc) {
      return acc;
    }

    @Override
    public long[] merge(long[] a, long[] b) {
      return new long[] {a[0] + b[0], a[1] + b[1]};
    }
  }

  /** Every window function style, each giving one Result per window. */
  static List<WindowContents<Ev, ?, Result, Integer, TimeWindow>> styles() {
    ProcessWindowFunction<long[], Result, Integer, TimeWindow> fromAcc = (key, ctx, in, out) -> {
      long[] acc = in.iterator().next();
      out.collect(new Result(key, ctx.window().start(), ctx.window().end(), acc[0], acc[1]));
    };
    ProcessWindowFunction<Ev, Result, Integer, TimeWindow> fromReduced = (key, ctx, in, out) -> {
      Ev e = in.iterator().next();
      out.collect(new Result(key, ctx.window().start(), ctx.window().end(), e.value(), e.ts()));
    };
    return List.of(
        WindowContents.elements(ALL),
        WindowContents.aggregate(new SumCount(), fromAcc),
        // The reduce keeps the count in the ts field.
        WindowContents.reduce((a, b) -> new Ev(a.key(), a.ts() + b.ts(), a.value() + b.value()),
            fromReduced));
  }

  /** Key, end, sum and count of a window's result: what every style can tell. */
  record Signature(long key, long end, long sum, long count) {}

  private static <X> List<Signature> run(WindowAssigner<Object, TimeWindow> assigner,
      WindowContents<Ev, ?, X, Integer, TimeWindow> contents, List<Ev> arrivals, long seed,
      boolean countInTs, Function<X, Signature> signature) throws Exception {
    var op = new WindowOperator<>(assigner, assigner.defaultTrigger(), 0, null, contents);
    try (var h = new OperatorHarness<Integer, Ev, X>(op, Ev::key)) {
      SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
      long max = Long.MIN_VALUE;
      for (Ev e : arrivals) {
        // A reduce keeps its count in the ts field: each element counts 1.
        h.element(countInTs ? new Ev(e.key(), 1, e.value()) : e, e.ts());
        max = Math.max(max, e.ts());
        if (r.nextInt(10) == 0) {
          // Every later element has ts >= (its arrival key - DISORDER) > this watermark.
          h.watermark(max - 2 * DISORDER - 1);
        }
      }
      h.watermark(Long.MAX_VALUE);
      assertTrue(h.isClean(), "state and timers are cleaned up");
      assertEquals(0, op.droppedLateRecords());
      List<Signature> out = new ArrayList<>();
      for (var emitted : h.output) {
        Signature sig = signature.apply(emitted.value());
        // Results fired by the end-of-window timer carry maxTimestamp; plain styles rely on it.
        out.add(sig.end() == Long.MIN_VALUE
            ? new Signature(sig.key(), emitted.timestamp() + 1, sig.sum(), sig.count()) : sig);
        assertEquals(out.get(out.size() - 1).end() - 1, emitted.timestamp());
      }
      return out.stream().sorted(Comparator.comparing(Signature::toString)).toList();
    }
  }

  private static void checkEveryStyle(WindowAssigner<Object, TimeWindow> assigner,
      Map<List<Long>, Result> expectedByWindow, List<Ev> arrivals, long seed) throws Exception {
    List<Signature> expected = expectedByWindow.values().stream()
        .map(r -> new Signature(r.key(), r.end(), r.sum(), r.count()))
        .sorted(Comparator.comparing(Signature::toString)).toList();
    Function<Result, Signature> ofResult = r -> new Signature(r.key(), r.end(), r.sum(),
        r.count());
    List<WindowContents<Ev, ?, Result, Integer, TimeWindow>> styles = styles();
    for (int s = 0; s < styles.size(); s++) {
      assertEquals(expected, run(assigner, styles.get(s), arrivals, seed, s == 2, ofResult),
          "style " + s + " with " + assigner);
    }
    assertEquals(expected, run(assigner, WindowContents.<Ev, Ev, Integer, TimeWindow>reduce(
        (a, b) -> new Ev(a.key(), a.ts() + b.ts(), a.value() + b.value()), null), arrivals, seed,
        true, e -> new Signature(e.key(), Long.MIN_VALUE, e.value(), e.ts())), "plain reduce");
    assertEquals(expected, run(assigner, WindowContents.<Ev, long[], long[], long[], Integer,
        TimeWindow>aggregate(new SumCountKey(), null), arrivals, seed, false,
        a -> new Signature(a[2], Long.MIN_VALUE, a[0], a[1])), "plain aggregate");
  }

  /** Sum, count and key, as an aggregate whose result needs no window. */
  static final class SumCountKey implements AggregateFunction<Ev, long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[3];
    }

    @Override
    public long[] add(Ev value, long[] acc) {
      return new long[] {acc[0] + value.value(), acc[1] + 1, value.key()};
    }

    @Override
    public long[] getResult(long[] acc) {
      return acc;
    }

    @Override
    public long[] merge(long[] a, long[] b) {
      return new long[] {a[0] + b[0], a[1] + b[1], a[2]};
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void tumblingWindowsMatchTheModel(long seed) throws Exception {
    List<Ev> arrivals = arrivals(seed, 3000);
    var expected = model(arrivals, e -> {
      long start = Math.floorDiv(e.ts(), 1000) * 1000;
      return List.of(new TimeWindow(start, start + 1000));
    });
    checkEveryStyle(TumblingEventTimeWindows.of(Duration.ofSeconds(1)), expected, arrivals,
        seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {4, 5})
  void tumblingWindowsWithAnOffsetMatchTheModel(long seed) throws Exception {
    List<Ev> arrivals = arrivals(seed, 2000);
    var expected = model(arrivals, e -> {
      long start = Math.floorDiv(e.ts() - 300, 1000) * 1000 + 300;
      return List.of(new TimeWindow(start, start + 1000));
    });
    checkEveryStyle(TumblingEventTimeWindows.of(Duration.ofSeconds(1), Duration.ofMillis(300)),
        expected, arrivals, seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {6, 7})
  void slidingWindowsMatchTheModel(long seed) throws Exception {
    List<Ev> arrivals = arrivals(seed, 2000);
    var expected = model(arrivals, e -> {
      List<TimeWindow> ws = new ArrayList<>();
      for (long start = 0 - 1500; start <= e.ts(); start += 500) {
        if (e.ts() < start + 1500) {
          ws.add(new TimeWindow(start, start + 1500));
        }
      }
      return ws;
    });
    checkEveryStyle(SlidingEventTimeWindows.of(Duration.ofMillis(1500), Duration.ofMillis(500)),
        expected, arrivals, seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {8, 9, 10})
  void sessionWindowsMatchTheModel(long seed) throws Exception {
    // Sparse events so that sessions both form and merge.
    List<Ev> arrivals = arrivals(seed, 400);
    checkEveryStyle(EventTimeSessionWindows.withGap(Duration.ofMillis(150)),
        sessionModel(arrivals, 150), arrivals, seed);
  }
}
