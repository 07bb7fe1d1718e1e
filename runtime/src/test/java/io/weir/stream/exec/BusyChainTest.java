package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A source chained with slow user code keeps its subtask busy all the time: checkpoints are
 * still taken and a cancel still ends the job promptly.
 */
class BusyChainTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** An unbounded generator chained with a map that takes a millisecond per record. */
  public static final class SlowChain implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(Duration.ofMillis(200));
      job.generate(i -> i).setParallelism(1)
          .map(i -> {
            Thread.sleep(1);
            return i;
          }).setParallelism(1)
          .filter(i -> false)
          .sinkTo(new CollectSink<>("busy"));
    }
  }

  @Test
  void checkpointsAndCancelReachABusySubtask() throws Exception {
    String id = StreamTestKit.await(kit.jobs().submit(SlowChain.class.getName(), List.of()))
        .jobId();
    JobStatus status = waitFor(id, s -> s.checkpoints() != null && !s.checkpoints().isEmpty(),
        Duration.ofSeconds(20));
    assertTrue(!status.checkpoints().isEmpty(), "no checkpoint in 20 s: " + status);
    long t0 = System.nanoTime();
    StreamTestKit.await(kit.jobs().cancel(id));
    JobStatus end = StreamTestKit.await(kit.jobs().awaitTermination(id, Duration.ofSeconds(20)));
    assertEquals(JobState.CANCELED, end.state());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 5_000, "cancel took " + ms + " ms");
  }

  private static JobStatus waitFor(String id, java.util.function.Predicate<JobStatus> p,
      Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    JobStatus s = StreamTestKit.await(kit.jobs().status(id));
    while (!p.test(s) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      s = StreamTestKit.await(kit.jobs().status(id));
    }
    return s;
  }
}
