package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watermarks from a log source, per partition: an empty partition holds event time back until
 * it has records or goes idle. Event-time timers show where the watermark is.
 */
class EventTimeTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.auto-watermark-interval = 50ms");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** args: topic, idleness in ms (0 for none), result name. Emits each timer that fires. */
  public static final class Timers implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      long idle = Long.parseLong(args.get(1));
      WatermarkStrategy<ConsumerRecord> strategy = WatermarkStrategy.forMonotonousTimestamps();
      if (idle > 0) {
        strategy = strategy.withIdleness(Duration.ofMillis(idle));
      }
      job.fromLog(args.get(0), StartPosition.earliest(), strategy)
          .keyBy(ConsumerRecord::partition)
          .process(new KeyedProcessFunction<Integer, ConsumerRecord, Long>() {
            @Override
            public void processElement(ConsumerRecord r, Context<Integer> ctx,
                Collector<Long> out) {
              ctx.timerService().registerEventTimeTimer(ctx.timestamp());
            }

            @Override
            public void onTimer(long time, OnTimerContext<Integer> ctx, Collector<Long> out) {
              out.collect(time);
            }
          })
          .sinkTo(new CollectSink<>(args.get(2)));
    }
  }

  private static void produce(String topic, int partition, long... timestamps) throws Exception {
    try (LogProducer producer = kit.weir().log().newProducer(ProducerSettings.defaults())) {
      for (long ts : timestamps) {
        StreamTestKit.await(producer.send(ProducerRecord.of(topic, null, "v" + ts)
            .withPartition(partition).withTimestamp(ts)));
      }
    }
  }

  private static List<Long> fired(String name) {
    return CollectSink.results(name).stream().map(o -> (Long) o).sorted().toList();
  }

  private static void awaitFired(String name, List<Long> expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!fired(name).equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(expected, fired(name));
  }

  private static void cancel(String jobId) throws Exception {
    StreamTestKit.await(kit.jobs().cancel(jobId));
    JobStatus end = StreamTestKit.await(kit.jobs().awaitTermination(jobId, Duration.ofSeconds(30)));
    assertEquals(JobState.CANCELED, end.state(), end.summary());
  }

  @Test
  void anEmptyPartitionHoldsTheWatermarkBackUntilItHasRecords() throws Exception {
    StreamTestKit.await(kit.weir().log().createTopic("clicks-a", 2, Map.of()));
    JobStatus job = StreamTestKit.await(kit.jobs().submit(Timers.class,
        List.of("clicks-a", "0", "held")));
    produce("clicks-a", 0, 1000, 2000, 3000);
    Thread.sleep(500);
    assertEquals(List.of(), fired("held"), "partition 1 has no records: no watermark yet");
    produce("clicks-a", 1, 10_000);
    // min(3000 - 1, 10000 - 1): the timers at 1000 and 2000 fire, 3000 and 10000 not yet.
    awaitFired("held", List.of(1000L, 2000L));
    cancel(job.jobId());
  }

  @Test
  void anIdlePartitionStopsHoldingTheWatermarkBack() throws Exception {
    StreamTestKit.await(kit.weir().log().createTopic("clicks-b", 2, Map.of()));
    JobStatus job = StreamTestKit.await(kit.jobs().submit(Timers.class,
        List.of("clicks-b", "300", "idle")));
    produce("clicks-b", 0, 1000, 2000, 3000);
    // Partition 0 stays busy (were it quiet too, every partition would be idle and event time
    // would stand still, as in Flink); partition 1 never has a record.
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (fired("idle").size() < 2 && System.nanoTime() < deadline) {
      produce("clicks-b", 0, 3000);
      Thread.sleep(100);
    }
    assertEquals(List.of(1000L, 2000L), fired("idle"));
    cancel(job.jobId());
  }

  /** Generated numbers with timestamps and watermarks assigned mid-stream; bounded. */
  public static final class Assigned implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.generate(i -> i * 10, 100)
          .assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forBoundedOutOfOrderness(
              Duration.ofMillis(5)).withTimestampAssigner((v, ts) -> v))
          .keyBy(v -> v % 3)
          .process(new KeyedProcessFunction<Long, Long, Long>() {
            @Override
            public void processElement(Long v, Context<Long> ctx, Collector<Long> out) {
              out.collect(ctx.timestamp());
            }
          })
          .sinkTo(new CollectSink<>("assigned"));
    }
  }

  @Test
  void assignTimestampsGivesRecordsTheirEventTime() throws Exception {
    JobStatus status = kit.run(Assigned.class);
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertEquals(java.util.stream.LongStream.range(0, 100).map(i -> i * 10).boxed().toList(),
        fired("assigned"));
  }
}
