package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.Collector;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.UnknownJobException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Submit, status, list, cancel, and how failures of user code and bad jobs are reported. */
class JobLifecycleTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** A map that throws on the element 500 of 1000. */
  public static final class Throwing implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.generate(i -> i, 1000)
          .map(i -> {
            if (i == 500) {
              throw new IllegalStateException("element 500 is cursed");
            }
            return i;
          }).name("Curse")
          .keyBy(i -> i % 10)
          .reduce(Long::sum)
          .sinkTo(new CollectSink<>("throwing"));
    }
  }

  @Test
  void userCodeFailureFailsTheJobNamingTheOperator() throws Exception {
    JobStatus status = kit.run(Throwing.class);
    assertEquals(JobState.FAILED, status.state(), status.summary());
    assertEquals("Curse", status.failedOperator());
    assertTrue(status.failure().contains("IllegalStateException: element 500 is cursed"),
        status.failure());
    assertTrue(status.endedAt() >= status.submittedAt());
  }

  /** A key selector that returns null for some records. */
  public static final class NullKeys implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.generate(i -> i, 100).name("Numbers")
          .keyBy(i -> i == 42 ? null : i % 3)
          .reduce(Long::sum).name("Sum")
          .print();
    }
  }

  @Test
  void nullKeyFailsTheJobNamingTheExchangeAndRecord() throws Exception {
    JobStatus status = kit.run(NullKeys.class);
    assertEquals(JobState.FAILED, status.state(), status.summary());
    assertTrue(status.failure().contains("NullKeyException"), status.failure());
    assertTrue(status.failure().contains("'Numbers' -> 'Sum' returned null for the record 42"),
        status.failure());
  }

  /** No sink: invalid. */
  public static final class NoSink implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.fromElements(1, 2, 3).map(i -> i + 1);
    }
  }

  @Test
  void invalidJobIsRejectedAtSubmitAndNotRecorded() throws Exception {
    int before = StreamTestKit.await(kit.jobs().list()).size();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> StreamTestKit.await(kit.jobs().submit(NoSink.class, List.of())));
    assertInstanceOf(InvalidJobException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("the job has no sink"),
        e.getCause().getMessage());
    e = assertThrows(ExecutionException.class,
        () -> StreamTestKit.await(kit.jobs().submit("no.such.Job", List.of())));
    assertTrue(e.getCause().getMessage().contains("job class 'no.such.Job' was not found"));
    assertEquals(before, StreamTestKit.await(kit.jobs().list()).size());
  }

  @Test
  void unknownJobIsReportedByName() {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> StreamTestKit.await(kit.jobs().status("nope-1234")));
    assertTrue(e.getCause().getMessage().contains("no job with id 'nope-1234'"),
        e.getCause().toString());
    assertNotNull(UnknownJobException.class);
  }

  /**
   * An unbounded job: the first three numbers each set a processing-time timer 50 ms ahead,
   * whose firing is emitted; everything else is filtered out, so the job never ends by itself.
   */
  public static final class Ticking implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.generate(i -> i)
          .filter(i -> i < 3)
          .keyBy(i -> i)
          .process(new KeyedProcessFunction<Long, Long, String>() {
            @Override
            public void processElement(Long i, Context<Long> ctx, Collector<String> out) {
              long at = ctx.timerService().currentProcessingTime() + 50;
              ctx.timerService().registerProcessingTimeTimer(at);
              // Registered twice: fires once.
              ctx.timerService().registerProcessingTimeTimer(at);
            }

            @Override
            public void onTimer(long time, OnTimerContext<Long> ctx, Collector<String> out) {
              out.collect(ctx.getCurrentKey() + "@" + ctx.timeDomain());
            }
          })
          .sinkTo(new CollectSink<>("ticking"));
    }
  }

  @Test
  void processingTimeTimersFireAndCancelStopsAnUnboundedJob() throws Exception {
    JobStatus submitted = StreamTestKit.await(kit.jobs().submit(Ticking.class, List.of()));
    assertEquals(JobState.CREATED, submitted.state());
    assertEquals(1, submitted.attempt());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (CollectSink.results("ticking").size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(JobState.RUNNING,
        StreamTestKit.await(kit.jobs().status(submitted.jobId())).state());
    JobStatus canceling = StreamTestKit.await(kit.jobs().cancel(submitted.jobId()));
    assertTrue(canceling.state() == JobState.CANCELING
        || canceling.state() == JobState.CANCELED, canceling.summary());
    JobStatus end = StreamTestKit.await(
        kit.jobs().awaitTermination(submitted.jobId(), Duration.ofSeconds(30)));
    assertEquals(JobState.CANCELED, end.state(), end.summary());
    assertEquals(List.of("0@PROCESSING_TIME", "1@PROCESSING_TIME", "2@PROCESSING_TIME"),
        CollectSink.results("ticking").stream().map(String::valueOf).sorted().toList());
    // Cancel of a terminal job changes nothing.
    assertEquals(JobState.CANCELED,
        StreamTestKit.await(kit.jobs().cancel(submitted.jobId())).state());
    assertTrue(StreamTestKit.await(kit.jobs().list()).stream()
        .anyMatch(s -> s.jobId().equals(submitted.jobId()) && s.state() == JobState.CANCELED));
  }
}
