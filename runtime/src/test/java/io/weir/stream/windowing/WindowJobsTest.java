package io.weir.stream.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.windowing.CountTrigger;
import io.weir.stream.api.windowing.EventTimeSessionWindows;
import io.weir.stream.api.windowing.GlobalWindows;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.SlidingEventTimeWindows;
import io.weir.stream.api.windowing.TimeWindow;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import io.weir.stream.exec.RangeSource;
import io.weir.stream.internal.windowing.Tagged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Windowed jobs end to end. The sources emit record i at event time i; with no watermark
 * generation yet, the only watermark is the final one at the end of input, which fires every
 * window, so the results are complete windows. Exchanges go through SinkRefs (serialized).
 */
class WindowJobsTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.batch-size = 61\nweir.stream.remote-exchanges-only = on");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** A number with its key. */
  public record Num(int key, long value) {}

  /** One window's sum. */
  public record WindowSum(int key, long start, long end, long sum, long count) {}

  /** A joined pair of ids. */
  public record Joined(long left, long right) {}

  static final long COUNT = 3000;
  static final OutputTag<Num> LATE = new OutputTag<>("late", Num.class);

  /** Keys 0..2; numbers in the holes (i / 100 % 4 == 3) are left out, to end sessions. */
  static boolean kept(long i) {
    return i / 100 % 4 != 3;
  }

  static DataStream<Num> numbers(JobBuilder job, String name) {
    return job.fromSource(new RangeSource(COUNT, 250, -1), name)
        .filter(i -> kept(i)).map(i -> new Num((int) (i % 3), i));
  }

  /** Sum and count of a window. */
  public static final class SumCount implements AggregateFunction<Num, long[], long[]> {
    @Override
    public long[] createAccumulator() {
      return new long[2];
    }

    @Override
    public long[] add(Num value, long[] acc) {
      acc[0] += value.value();
      acc[1]++;
      return acc;
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

  static final ProcessWindowFunction<long[], WindowSum, Integer, TimeWindow> LABEL =
      (key, ctx, in, out) -> {
        long[] acc = in.iterator().next();
        out.collect(new WindowSum(key, ctx.window().start(), ctx.window().end(), acc[0],
            acc[1]));
      };

  /** args: result name, parallelism. Tumbling, sliding and session windows of the numbers. */
  public static final class Windows implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      String name = args.get(0);
      job.setParallelism(Integer.parseInt(args.get(1)));
      var keyed = numbers(job, "Numbers").keyBy(Num::key);
      var tumbling = keyed.window(TumblingEventTimeWindows.of(Duration.ofMillis(100)))
          .sideOutputLateData(LATE).aggregate(new SumCount(), LABEL);
      tumbling.sinkTo(new CollectSink<>(name + "/tumbling"));
      tumbling.getSideOutput(LATE).sinkTo(new CollectSink<>(name + "/late"));
      keyed.window(SlidingEventTimeWindows.of(Duration.ofMillis(200), Duration.ofMillis(50)))
          .process((Integer key, ProcessWindowFunction.Context<TimeWindow> ctx,
              Iterable<Num> in, io.weir.stream.api.Collector<WindowSum> out) -> {
            long sum = 0;
            long count = 0;
            for (Num n : in) {
              sum += n.value();
              count++;
            }
            out.collect(new WindowSum(key, ctx.window().start(), ctx.window().end(), sum,
                count));
          }).sinkTo(new CollectSink<>(name + "/sliding"));
      keyed.window(EventTimeSessionWindows.withGap(Duration.ofMillis(10)))
          .aggregate(new SumCount(), LABEL).sinkTo(new CollectSink<>(name + "/sessions"));
    }
  }

  static Map<String, WindowSum> model(long size, long slide) {
    Map<String, WindowSum> out = new TreeMap<>();
    for (long i = 0; i < COUNT; i++) {
      if (!kept(i)) {
        continue;
      }
      int key = (int) (i % 3);
      for (long start = Math.floorDiv(i, slide) * slide; start > i - size; start -= slide) {
        out.merge(key + "/" + start, new WindowSum(key, start, start + size, i, 1),
            WindowJobsTest::add);
      }
    }
    return out;
  }

  static WindowSum add(WindowSum a, WindowSum b) {
    return new WindowSum(a.key(), a.start(), a.end(), a.sum() + b.sum(), a.count() + b.count());
  }

  /** Sessions with a gap of 10: a key's numbers are 3 apart, except across the holes. */
  static Map<String, WindowSum> sessionModel() {
    Map<String, WindowSum> out = new TreeMap<>();
    for (int key = 0; key < 3; key++) {
      WindowSum open = null;
      for (long i = key; i < COUNT; i += 3) {
        if (!kept(i)) {
          continue;
        }
        if (open != null && i > open.end()) {
          out.put(key + "/" + open.start(), open);
          open = null;
        }
        open = open == null ? new WindowSum(key, i, i + 10, i, 1)
            : new WindowSum(key, open.start(), i + 10, open.sum() + i, open.count() + 1);
      }
      out.put(key + "/" + open.start(), open);
    }
    return out;
  }

  static Map<String, WindowSum> actual(String name) {
    Map<String, WindowSum> out = new TreeMap<>();
    for (Object o : CollectSink.results(name)) {
      WindowSum s = (WindowSum) o;
      WindowSum before = out.put(s.key() + "/" + s.start(), s);
      assertEquals(null, before, "one result per window: " + s);
    }
    return out;
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 3})
  void windowsGiveCompleteResultsAtTheEndOfInput(int parallelism) throws Exception {
    String name = "windows-" + parallelism;
    JobStatus status = kit.run(Windows.class, name, String.valueOf(parallelism));
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertEquals(model(100, 100), actual(name + "/tumbling"));
    assertEquals(List.of(), CollectSink.results(name + "/late"), "nothing is late");
    assertEquals(model(200, 50), actual(name + "/sliding"));
    assertEquals(sessionModel(), actual(name + "/sessions"));
  }

  /** args: result name. Joins numbers by key in windows of 50ms, and by interval. */
  public static final class Joins implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      String name = args.get(0);
      job.setParallelism(2);
      DataStream<Num> left = job.fromSource(new RangeSource(1000, 100, -1), "Left")
          .filter(i -> i % 4 == 0).map(i -> new Num((int) (i % 5), i));
      DataStream<Num> right = job.fromSource(new RangeSource(1000, 100, -1), "Right")
          .filter(i -> i % 3 == 0).map(i -> new Num((int) (i % 5), i));
      left.join(right).where(Num::key).equalTo(Num::key)
          .window(TumblingEventTimeWindows.of(Duration.ofMillis(50)))
          .apply((l, r) -> new Joined(l.value(), r.value()))
          .sinkTo(new CollectSink<>(name + "/join"));
      left.coGroup(right).where(Num::key).equalTo(Num::key)
          .window(TumblingEventTimeWindows.of(Duration.ofMillis(50)))
          .<Joined>apply((ls, rs, out) -> {
            long l = 0;
            long r = 0;
            for (Num n : ls) {
              l++;
            }
            for (Num n : rs) {
              r++;
            }
            out.collect(new Joined(l, r));
          })
          .sinkTo(new CollectSink<>(name + "/cogroup"));
      left.keyBy(Num::key).intervalJoin(right.keyBy(Num::key))
          .between(Duration.ofMillis(-5), Duration.ofMillis(10))
          .<Joined>process((l, r, ctx, out) -> out.collect(new Joined(l.value(), r.value())))
          .sinkTo(new CollectSink<>(name + "/interval"));
    }
  }

  @Test
  void windowJoinCoGroupAndIntervalJoin() throws Exception {
    String name = "joins";
    JobStatus status = kit.run(Joins.class, name);
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    List<Joined> join = new ArrayList<>();
    List<Joined> interval = new ArrayList<>();
    Map<String, long[]> groups = new TreeMap<>();
    for (long l = 0; l < 1000; l += 4) {
      for (long r = 0; r < 1000; r += 3) {
        if (l % 5 != r % 5) {
          continue;
        }
        if (l / 50 == r / 50) {
          join.add(new Joined(l, r));
        }
        if (l - 5 <= r && r <= l + 10) {
          interval.add(new Joined(l, r));
        }
      }
    }
    for (long i = 0; i < 1000; i++) {
      String id = (i % 5) + "/" + i / 50;
      if (i % 4 == 0) {
        groups.computeIfAbsent(id, k -> new long[2])[0]++;
      }
      if (i % 3 == 0) {
        groups.computeIfAbsent(id, k -> new long[2])[1]++;
      }
    }
    List<Joined> cogroups = groups.values().stream().map(c -> new Joined(c[0], c[1])).toList();
    Comparator<Joined> order = Comparator.comparingLong(Joined::left)
        .thenComparingLong(Joined::right);
    assertEquals(join.stream().sorted(order).toList(), sorted(name + "/join", order));
    assertEquals(interval.stream().sorted(order).toList(), sorted(name + "/interval", order));
    assertEquals(cogroups.stream().sorted(order).toList(), sorted(name + "/cogroup", order));
  }

  static List<Joined> sorted(String name, Comparator<Joined> order) {
    return CollectSink.results(name).stream().map(o -> (Joined) o).sorted(order).toList();
  }

  /** Elements from fromElements carry no timestamp. */
  public static final class NoTimestamps implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.fromElements(1L, 2L, 3L).keyBy(n -> n % 2)
          .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
          .reduce(Long::sum).name("Sums")
          .sinkTo(new CollectSink<>("no-timestamps"));
    }
  }

  @Test
  void recordsWithoutTimestampsFailAnEventTimeWindow() throws Exception {
    JobStatus status = kit.run(NoTimestamps.class);
    assertEquals(JobState.FAILED, status.state(), status.summary());
    assertEquals("Sums", status.failedOperator());
    assertTrue(status.failure().contains("IllegalStateException"), status.failure());
    assertTrue(status.failure().contains("windows by event time with "
        + "TumblingEventTimeWindows(1000ms)"), status.failure());
    assertTrue(status.failure().contains("assign timestamps and watermarks"), status.failure());
  }

  /** Global windows with a count trigger need no timestamps. */
  public static final class Counted implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.fromElements(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L).keyBy(n -> n % 2)
          .window(GlobalWindows.create()).trigger(CountTrigger.of(2))
          .reduce(Long::sum).sinkTo(new CollectSink<>("counted"));
    }
  }

  @Test
  void globalWindowsWithACountTriggerNeedNoTimestamps() throws Exception {
    JobStatus status = kit.run(Counted.class);
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertEquals(List.of(4L, 6L, 16L, 20L), CollectSink.results("counted").stream()
        .map(o -> (Long) o).sorted().toList());
  }

  @Test
  void taggedElementsRoundTripThroughCbor() {
    Serialization serialization = SerializationExtension.get(kit.weir().system().classicSystem());
    for (Tagged t : List.of(new Tagged(0, new Num(3, 7)), new Tagged(1, "text"),
        new Tagged(1, 42L), new Tagged(0, 7), new Tagged(0, List.of("a", "b")))) {
      byte[] bytes = serialization.serialize(t).get();
      var serializer = serialization.findSerializerFor(t);
      assertEquals(t, serialization.deserialize(bytes, serializer.identifier(),
          Serializers.manifestFor(serializer, t)).get());
    }
  }
}
