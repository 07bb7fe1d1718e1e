package io.weir.stream.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CollectSink;
import io.weir.stream.api.Collector;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.windowing.ContinuousEventTimeTrigger;
import io.weir.stream.api.windowing.CountTrigger;
import io.weir.stream.api.windowing.EventTimeSessionWindows;
import io.weir.stream.api.windowing.GlobalWindow;
import io.weir.stream.api.windowing.GlobalWindows;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.PurgingTrigger;
import io.weir.stream.api.windowing.SlidingEventTimeWindows;
import io.weir.stream.api.windowing.TimeWindow;
import io.weir.stream.api.windowing.Trigger;
import io.weir.stream.api.windowing.TriggerResult;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import io.weir.stream.api.windowing.TumblingProcessingTimeWindows;
import io.weir.stream.internal.JobPlanner;
import io.weir.stream.internal.PlannedJob;
import io.weir.stream.internal.windowing.WindowContents;
import io.weir.stream.internal.windowing.WindowOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Window values, assigner arguments, and how the API composes into a planned job. */
class WindowApiTest {
  @Test
  void timeWindows() {
    TimeWindow w = new TimeWindow(0, 10);
    assertEquals(9, w.maxTimestamp());
    assertTrue(w.intersects(new TimeWindow(10, 20)), "touching windows intersect");
    assertFalse(w.intersects(new TimeWindow(11, 20)));
    assertEquals(new TimeWindow(-5, 10), w.cover(new TimeWindow(-5, 3)));
    assertThrows(IllegalArgumentException.class, () -> new TimeWindow(5, 5));
    assertEquals(-10, TimeWindow.startOf(-1, 0, 10));
    assertEquals(3, TimeWindow.startOf(12, 3, 10));
    assertEquals(Long.MAX_VALUE, GlobalWindow.get().maxTimestamp());
    List<List<TimeWindow>> merges = new ArrayList<>();
    TimeWindow.mergeWindows(List.of(new TimeWindow(20, 30), new TimeWindow(0, 5),
        new TimeWindow(4, 8), new TimeWindow(40, 50), new TimeWindow(30, 31)),
        (merged, result) -> merges.add(List.of(result, merged.iterator().next())));
    assertEquals(List.of(List.of(new TimeWindow(0, 8), new TimeWindow(0, 5)),
        List.of(new TimeWindow(20, 31), new TimeWindow(20, 30))), merges);
  }

  @Test
  void assigners() {
    assertThrows(IllegalArgumentException.class,
        () -> TumblingEventTimeWindows.of(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> SlidingEventTimeWindows.of(Duration.ofSeconds(1), Duration.ofNanos(10)));
    assertThrows(IllegalArgumentException.class, () -> CountTrigger.of(0));
    assertEquals("TumblingEventTimeWindows(10ms, offset 7ms)",
        TumblingEventTimeWindows.of(Duration.ofMillis(10), Duration.ofMillis(-3)).toString());
    assertEquals(List.of(new TimeWindow(10, 40), new TimeWindow(0, 30),
        new TimeWindow(-10, 20)), SlidingEventTimeWindows.of(Duration.ofMillis(30),
        Duration.ofMillis(10)).assignWindows("x", 15, () -> 0));
    assertEquals(List.of(new TimeWindow(100, 110)), TumblingProcessingTimeWindows
        .of(Duration.ofMillis(10)).assignWindows("x", 3, () -> 105));
    assertEquals(List.of(new TimeWindow(7, 12)), EventTimeSessionWindows
        .withGap(Duration.ofMillis(5)).assignWindows("x", 7, () -> 0));
    assertFalse(GlobalWindows.create().isEventTime());
  }

  /** A job using the API in several combinations, for type inference and planning. */
  public static final class Composed implements JobDefinition {
    @Override
    public void define(io.weir.stream.api.JobBuilder job, List<String> args) {
      var numbers = job.fromElements(1L, 2L, 3L);
      numbers.keyBy(n -> n % 2).window(GlobalWindows.create())
          .trigger(PurgingTrigger.of(CountTrigger.of(2))).reduce(Long::sum)
          .sinkTo(new CollectSink<>("composed"));
      numbers.keyBy(n -> n % 2)
          .window(SlidingEventTimeWindows.of(Duration.ofSeconds(10), Duration.ofSeconds(5)))
          .trigger(ContinuousEventTimeTrigger.of(Duration.ofSeconds(1)))
          .allowedLateness(Duration.ofSeconds(2))
          .process((Long key, ProcessWindowFunction.Context<TimeWindow> ctx, Iterable<Long> in,
              Collector<String> out) -> out.collect(key + "@" + ctx.window()))
          .sinkTo(new CollectSink<>("composed"));
      numbers.join(job.fromElements("a", "bb")).where(n -> n).equalTo(s -> (long) s.length())
          .window(GlobalWindows.create()).trigger(CountTrigger.of(2))
          .apply((n, s) -> n + s).sinkTo(new CollectSink<>("composed"));
      numbers.keyBy(n -> n).intervalJoin(job.fromElements(5L).keyBy(n -> n))
          .between(Duration.ofSeconds(-1), Duration.ofSeconds(1)).upperBoundExclusive()
          .<String>process((a, b, ctx, out) -> out.collect(a + "-" + b))
          .sinkTo(new CollectSink<>("composed"));
    }
  }

  @Test
  void theApiComposesIntoAPlannedJob() {
    PlannedJob plan = JobPlanner.plan(new Composed(), List.of());
    String graph = plan.jobGraph().toString();
    for (String name : List.of("Window Reduce", "Window Process", "Window Join",
        "Interval Join")) {
      assertTrue(graph.contains(name), name + " in " + graph);
    }
  }

  @Test
  void aTriggerThatCannotMergeIsRefusedForSessions() {
    Trigger<Object, TimeWindow> nonMerging = new Trigger<>() {
      @Override
      public TriggerResult onElement(Object e, long ts, TimeWindow w, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
      }

      @Override
      public TriggerResult onEventTime(long time, TimeWindow w, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
      }

      @Override
      public TriggerResult onProcessingTime(long time, TimeWindow w, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
      }

      @Override
      public void clear(TimeWindow w, TriggerContext ctx) {}

      @Override
      public String toString() {
        return "Lonely";
      }
    };
    JobDefinition job = (builder, args) -> builder.fromElements(1L).keyBy(n -> n)
        .window(EventTimeSessionWindows.withGap(Duration.ofSeconds(1))).trigger(nonMerging)
        .reduce(Long::sum).print();
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> JobPlanner.plan(job, List.of()));
    assertTrue(e.getMessage().contains("trigger Lonely cannot merge windows"), e.getMessage());
  }

  @Test
  void aProcessWindowFunctionIsOpenedAndClosedWithTheOperator() throws Exception {
    List<String> calls = new ArrayList<>();
    ProcessWindowFunction<Long, Long, Long, GlobalWindow> fn = new ProcessWindowFunction<>() {
      @Override
      public void open(RuntimeContext context) {
        calls.add("open " + context.operatorName());
      }

      @Override
      public void process(Long key, Context<GlobalWindow> ctx, Iterable<Long> in,
          Collector<Long> out) {
        calls.add("process " + in);
      }

      @Override
      public void close() {
        calls.add("close");
      }
    };
    var op = new WindowOperator<>(GlobalWindows.create(), CountTrigger.of(1), 0, null,
        WindowContents.reduce(Long::sum, fn));
    try (var h = new OperatorHarness<Long, Long, Long>(op, n -> n)) {
      h.element(4L, null);
    }
    assertEquals(List.of("open Window under test", "process [4]", "close"), calls);
  }
}
