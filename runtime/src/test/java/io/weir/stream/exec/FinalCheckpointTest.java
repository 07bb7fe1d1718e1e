package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CommittingSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded inputs in checkpointed jobs (Flink's FLIP-147): a two-phase-commit sink whose input
 * ended commits its last records at a final checkpoint, and a subtask that finished stands in
 * later checkpoints as finished, so a failure elsewhere afterwards replays nothing it wrote.
 */
class FinalCheckpointTest {
  private static final int RECORDS = 600;
  private static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.batch-size = 50");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** args: result name. A bounded generator into a two-phase sink; checkpoints far apart. */
  public static final class Bounded implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMinutes(10)));
      job.generate(i -> "r" + i, RECORDS)
          .rebalance()
          .map(s -> s)
          .sinkTo(new CommittingSink(args.get(0)));
    }
  }

  @Test
  void aBoundedJobCommitsItsLastRecordsAtAFinalCheckpointAndFinishes() throws Exception {
    JobStatus end = kit.run(Bounded.class, "bounded");
    assertEquals(JobState.FINISHED, end.state(), end.summary());
    List<String> committed = CommittingSink.committed("bounded");
    assertEquals(RECORDS, committed.size(), "every record committed once");
    assertEquals(RECORDS, new HashSet<>(committed).size(), "no record committed twice");
    assertFalse(end.checkpoints().isEmpty(), "the final checkpoint is in the history: "
        + end.summary());
  }

  /**
   * args: result name. Two pipelines: a bounded one into a two-phase sink, and an unbounded one
   * that fails once, after the bounded one committed everything and finished.
   */
  public static final class FinishedThenFailure implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      String name = args.get(0);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(100)));
      job.generate(i -> {
        Thread.sleep(2);
        return "a" + i;
      }, RECORDS).setParallelism(1)
          .sinkTo(new CommittingSink(name)).setParallelism(1);
      job.generate(i -> i).setParallelism(1)
          .map(i -> {
            if (CommittingSink.committed(name).size() >= RECORDS
                && FAILED_ONCE.compareAndSet(false, true)) {
              Thread.sleep(300);
              throw new IllegalStateException("injected failure after the bounded part ended");
            }
            return "b" + i;
          }).setParallelism(1)
          .filter(s -> false)
          .sinkTo(new CommittingSink(name + "-other"));
    }
  }

  @Test
  void aFailureAfterABoundedPartFinishedReplaysNothingItCommitted() throws Exception {
    JobStatus job = StreamTestKit.await(kit.jobs().submit(FinishedThenFailure.class.getName(),
        List.of("after")));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JobStatus status = job;
    while ((status.restarts() < 1 || status.state() != JobState.RUNNING)
        && System.nanoTime() < deadline) {
      Thread.sleep(100);
      status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    }
    assertTrue(status.restarts() >= 1, "the injected failure restarted the job: "
        + status.summary());
    // Give a replay, if there were one, the time to commit.
    Thread.sleep(1500);
    status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    assertEquals(JobState.RUNNING, status.state(), status.summary());
    List<String> committed = CommittingSink.committed("after");
    assertEquals(RECORDS, committed.size(), "the finished part's records, each once: "
        + status.summary());
    assertEquals(RECORDS, new HashSet<>(committed).size());
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }
}
