package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.ProcessFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.state.ListState;
import io.weir.stream.api.state.ListStateDescriptor;
import io.weir.stream.api.state.MapState;
import io.weir.stream.api.state.MapStateDescriptor;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * For random inputs, a job's results equal a sequential model of the same computation, at
 * parallelism 1, 2 and 4. The results compared are those that do not depend on how records of
 * different source subtasks interleave: per-key aggregates emitted when event time ends, and
 * multisets.
 */
class JobPropertyTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.batch-size = 37");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** The i-th event of a seed: key 0..19, value -50..199. Deterministic. */
  static Event event(long seed, long i) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
    return new Event(r.nextInt(20), r.nextInt(-50, 200));
  }

  /** An input record. */
  public record Event(int key, int value) {}

  /** A per-key result. */
  public record Summary(int key, long sum, int count, int distinct, List<Integer> lastThree) {}

  static final OutputTag<Event> NEGATIVE = new OutputTag<>("negative", Event.class);

  /**
   * args: seed, count, parallelism, result name. Events are filtered (value % 7 != 0), doubled,
   * duplicated when the value is odd (flatMap), split by sign (process with a side output),
   * and summarized per key by a keyed process function with value, map and list state,
   * emitting when an event-time timer fires at the end of input. Negative events are summed per
   * key with a rolling reduce after a rebalance; the union of both streams' keys is counted too.
   */
  public static final class Pipeline implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      long seed = Long.parseLong(args.get(0));
      long count = Long.parseLong(args.get(1));
      job.setParallelism(Integer.parseInt(args.get(2)));
      String name = args.get(3);
      var split = job.generate(i -> event(seed, i), count)
          .filter(e -> e.value() % 7 != 0)
          .map(e -> new Event(e.key(), e.value() * 2))
          .<Event>flatMap((e, out) -> {
            out.collect(e);
            if (e.value() % 4 != 0) {
              out.collect(e);
            }
          })
          .process(new ProcessFunction<Event, Event>() {
            @Override
            public void processElement(Event e, Context ctx, Collector<Event> out) {
              if (e.value() < 0) {
                ctx.output(NEGATIVE, e);
              } else {
                out.collect(e);
              }
            }
          });
      split.keyBy(Event::key).process(new Summarize()).sinkTo(new CollectSink<>(name + "/sum"));
      var negatives = split.getSideOutput(NEGATIVE).rebalance()
          .map(e -> new Event(e.key(), -e.value()));
      negatives.keyBy(Event::key).reduce((a, b) -> new Event(a.key(), a.value() + b.value()))
          .sinkTo(new CollectSink<>(name + "/neg"));
      split.union(negatives).map(e -> "k" + e.key()).broadcast()
          .filter(k -> true).setParallelism(2)
          .sinkTo(new CollectSink<>(name + "/keys")).setParallelism(2);
    }
  }

  /** Keeps sum, count, distinct values and the last three values per key; emits at the end. */
  static final class Summarize implements KeyedProcessFunction<Integer, Event, Summary> {
    private ValueState<Long> sum;
    private MapState<Integer, Integer> seen;
    private ListState<Integer> recent;
    private ValueState<Integer> count;

    @Override
    public void open(RuntimeContext context) {
      sum = context.getState(ValueStateDescriptor.of("sum", Long.class));
      count = context.getState(ValueStateDescriptor.of("count", Integer.class));
      seen = context.getState(MapStateDescriptor.of("seen", Integer.class, Integer.class));
      recent = context.getState(ListStateDescriptor.of("recent", Integer.class));
    }

    @Override
    public void processElement(Event e, Context<Integer> ctx, Collector<Summary> out) {
      sum.update((sum.value() == null ? 0 : sum.value()) + e.value());
      count.update((count.value() == null ? 0 : count.value()) + 1);
      seen.put(e.value(), 1);
      recent.add(e.value());
      ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
    }

    @Override
    public void onTimer(long time, OnTimerContext<Integer> ctx, Collector<Summary> out) {
      int distinct = 0;
      for (Integer ignored : seen.keys()) {
        distinct++;
      }
      List<Integer> all = new ArrayList<>();
      recent.get().forEach(all::add);
      List<Integer> sorted = all.stream().sorted().toList();
      out.collect(new Summary(ctx.getCurrentKey(), sum.value(), count.value(), distinct,
          sorted.subList(Math.max(0, sorted.size() - 3), sorted.size())));
    }
  }

  @ParameterizedTest(name = "seed {0}, {1} events, parallelism {2}")
  @CsvSource({
    "1, 5000, 1", "1, 5000, 2", "1, 5000, 4",
    "2, 20000, 1", "2, 20000, 2", "2, 20000, 4",
    "3, 1, 4", "4, 0, 2"})
  void resultsEqualTheSequentialModel(long seed, long count, int parallelism) throws Exception {
    String name = "pipeline-" + seed + "-" + count + "-" + parallelism;
    JobStatus status = kit.run(Pipeline.class, String.valueOf(seed), String.valueOf(count),
        String.valueOf(parallelism), name);
    assertEquals(JobState.FINISHED, status.state(), status.summary());

    // The sequential model.
    Map<Integer, List<Integer>> positives = new TreeMap<>();
    Map<Integer, Integer> negativeSums = new TreeMap<>();
    Map<String, Integer> keyCounts = new TreeMap<>();
    for (long i = 0; i < count; i++) {
      Event e = event(seed, i);
      if (e.value() % 7 == 0) {
        continue;
      }
      int doubled = e.value() * 2;
      int copies = doubled % 4 != 0 ? 2 : 1;
      for (int c = 0; c < copies; c++) {
        if (doubled < 0) {
          negativeSums.merge(e.key(), -doubled, Integer::sum);
        } else {
          positives.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(doubled);
        }
        keyCounts.merge("k" + e.key(), 2, Integer::sum); // broadcast to 2 subtasks
      }
    }
    Map<Integer, Summary> expected = new TreeMap<>();
    positives.forEach((k, vs) -> {
      List<Integer> sorted = vs.stream().sorted().toList();
      expected.put(k, new Summary(k, vs.stream().mapToLong(Integer::longValue).sum(), vs.size(),
          (int) vs.stream().distinct().count(), sorted.subList(Math.max(0, sorted.size() - 3),
              sorted.size())));
    });

    Map<Integer, Summary> actual = new TreeMap<>();
    for (Object o : CollectSink.results(name + "/sum")) {
      Summary s = (Summary) o;
      assertEquals(null, actual.put(s.key(), s), "one summary per key, twice for " + s.key());
    }
    assertEquals(expected, actual);

    Map<Integer, Integer> lastNegative = new HashMap<>();
    for (Object o : CollectSink.results(name + "/neg")) {
      Event e = (Event) o;
      lastNegative.merge(e.key(), e.value(), Math::max);
    }
    assertEquals(negativeSums, new TreeMap<>(lastNegative));
    Map<String, Integer> actualKeys = new TreeMap<>();
    for (Object o : CollectSink.results(name + "/keys")) {
      actualKeys.merge((String) o, 1, Integer::sum);
    }
    assertEquals(keyCounts, actualKeys);
  }
}
