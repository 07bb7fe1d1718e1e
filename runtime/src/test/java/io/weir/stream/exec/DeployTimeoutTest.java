package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.sink.Sink;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.SinkWriter;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subtasks that are not deployed in time (a node that died before it was downed, a slow start)
 * fail the attempt like any other failure: the restart strategy starts another one.
 */
class DeployTimeoutTest {
  private static final AtomicBoolean SLOW_ONCE = new AtomicBoolean();
  private static final Set<Long> WRITTEN = ConcurrentHashMap.newKeySet();
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.deploy-timeout = 2s");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** Its first writer takes longer to create than the deploy timeout allows. */
  static final class SlowToStart implements Sink<Long> {
    @Override
    public SinkWriter<Long> createWriter(SinkContext context) throws Exception {
      if (SLOW_ONCE.compareAndSet(false, true)) {
        Thread.sleep(4_000);
      }
      return new SinkWriter<>() {
        @Override
        public void write(Long element, Long timestamp) {
          WRITTEN.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  /** A bounded job, checkpointed: its restart strategy is a fixed delay. */
  public static final class Job implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(200)));
      job.generate(i -> i, 100).setParallelism(1)
          .sinkTo(new SlowToStart()).setParallelism(1);
    }
  }

  @Test
  void anAttemptNotDeployedInTimeIsRestarted() throws Exception {
    JobStatus end = kit.run(Job.class);
    assertEquals(JobState.FINISHED, end.state(), end.summary());
    assertTrue(end.restarts() >= 1, end.summary());
    assertTrue(end.failure().contains("were not deployed within"), end.failure());
    assertEquals(100, WRITTEN.size());
  }
}
