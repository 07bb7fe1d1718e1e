package io.weir.stream.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CommittingSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.TimeWindow;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Windows and their timers survive a restore: out-of-order events, real watermarks, injected
 * failures; each window's count is committed exactly once and equals the model.
 */
class WindowRecoveryTest {
  private static final long EVENTS = 20_000;
  private static final int KEYS = 7;
  private static final Set<Long> FAIL_AT = Set.of(3_000L, 11_000L);
  private static final AtomicLong PROCESSED = new AtomicLong();
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.auto-watermark-interval = 20ms");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** Event i: key i mod 7, at i * 10 ms shifted by up to ±40 ms. */
  static long[] event(long i) {
    long jitter = Math.floorMod(i * 2_654_435_761L, 81) - 40;
    return new long[] {i % KEYS, Math.max(0, i * 10 + jitter)};
  }

  /** Counts per key and 1-second tumbling window. */
  public static final class Windows implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(50)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(20)));
      job.generate(WindowRecoveryTest::event, EVENTS)
          .assignTimestampsAndWatermarks(WatermarkStrategy.<long[]>forBoundedOutOfOrderness(
              Duration.ofMillis(50)).withTimestampAssigner((e, ts) -> e[1]))
          .map(e -> {
            long n = PROCESSED.incrementAndGet();
            if (n % 50 == 0) {
              Thread.sleep(1); // a few seconds in all, so checkpoints happen in between
            }
            if (FAIL_AT.contains(n)) {
              throw new IllegalStateException("injected failure");
            }
            return e[0];
          }).name("Inject")
          .keyBy(k -> k)
          .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
          .aggregate(new io.weir.stream.api.AggregateFunction<Long, Long, Long>() {
            @Override
            public Long createAccumulator() {
              return 0L;
            }

            @Override
            public Long add(Long value, Long acc) {
              return acc + 1;
            }

            @Override
            public Long getResult(Long acc) {
              return acc;
            }

            @Override
            public Long merge(Long a, Long b) {
              return a + b;
            }
          }, (ProcessWindowFunction<Long, String, Long, TimeWindow>) (key, ctx, counts, out) ->
              out.collect(key + "@" + ctx.window().start() + ":" + counts.iterator().next()))
          .sinkTo(new CommittingSink("windows"));
    }
  }

  @Test
  void windowCountsAreCommittedOnceEachAfterRestores() throws Exception {
    JobStatus status = kit.run(Windows.class);
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertTrue(status.restarts() >= 1, status.summary());
    Map<String, Long> expected = new TreeMap<>();
    for (long i = 0; i < EVENTS; i++) {
      long[] e = event(i);
      expected.merge(e[0] + "@" + (e[1] / 1000 * 1000), 1L, Long::sum);
    }
    Map<String, Long> actual = new TreeMap<>();
    for (String line : CommittingSink.committed("windows")) {
      String[] parts = line.split(":");
      assertEquals(null, actual.put(parts[0], Long.parseLong(parts[1])),
          "window " + parts[0] + " committed twice");
    }
    assertEquals(expected, actual);
  }
}
