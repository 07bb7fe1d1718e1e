package io.weir.stream.windowing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Counter;
import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With real watermarks in a running job: a record later than its window's lateness is dropped,
 * counted in the node's metrics, and, where a late side output is set, delivered there instead.
 */
class LateDataMetricTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.auto-watermark-interval = 10ms\n"
        + "weir.stream.batch-size = 10");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** Event i at i*10 ms, except event 1500 at 5 ms: late by then. */
  static long timestampOf(long i) {
    return i == 1500 ? 5 : i * 10;
  }

  static final OutputTag<Long> LATE = new OutputTag<>("late", Long.class);

  /** args: "drop" or "side". */
  public static final class Late implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      boolean side = args.get(0).equals("side");
      var windowed = job.generate(i -> i, 2000)
          .map(i -> {
            if (i == 1400) {
              // Watermarks are emitted between batches: after this one's, event time is past
              // 13990, so event 1500 (at 5 ms, in a later batch) is late for its window.
              Thread.sleep(100);
            }
            return i;
          })
          .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
              .withTimestampAssigner((i, ts) -> timestampOf(i)))
          .keyBy(i -> 0L)
          .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)));
      if (side) {
        windowed = windowed.sideOutputLateData(LATE);
      }
      var counts = windowed.reduce(Long::sum).name("Sums");
      counts.sinkTo(new CollectSink<>("sums-" + args.get(0)));
      if (side) {
        counts.getSideOutput(LATE).sinkTo(new CollectSink<>("late-side"));
      }
    }
  }

  private static double dropped() {
    Counter c = kit.weir().metrics().find("weir.window.late.records.dropped")
        .tag("operator", "Sums").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aLateRecordIsCountedWhenDroppedAndSentToTheSideOutputWhenAsked() throws Exception {
    JobStatus dropped = kit.run(Late.class, "drop");
    assertEquals(JobState.FINISHED, dropped.state(), dropped.summary());
    assertEquals(1.0, dropped(), "one record dropped and counted");

    JobStatus side = kit.run(Late.class, "side");
    assertEquals(JobState.FINISHED, side.state(), side.summary());
    assertEquals(List.of(1500L), CollectSink.results("late-side"));
    assertEquals(1.0, dropped(), "a record sent to the side output is not dropped");
  }
}
