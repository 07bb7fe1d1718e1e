package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A connector source runs: its enumerator on the job master, a reader per subtask. */
class SourceConnectorTest {
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** args: parallelism, count, failAt, result name. */
  public static final class Ranges implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(Integer.parseInt(args.get(0)));
      job.fromSource(new RangeSource(Long.parseLong(args.get(1)), 250,
              Integer.parseInt(args.get(2))), "Ranges")
          .map(i -> i * 2)
          .sinkTo(new CollectSink<>(args.get(3)));
    }
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 2, 3})
  void everyNumberIsReadOnce(int parallelism) throws Exception {
    String name = "ranges-" + parallelism;
    JobStatus status = kit.run(Ranges.class, String.valueOf(parallelism), "5000", "-1", name);
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertEquals(LongStream.range(0, 5000).map(i -> i * 2).boxed().toList(),
        CollectSink.results(name).stream().map(o -> (Long) o).sorted().toList());
  }

  private static final java.util.concurrent.atomic.AtomicLong READ = new java.util.concurrent.atomic.AtomicLong();

  /** Checkpointed: readers' splits and the enumerator's pending splits are in checkpoints. */
  public static final class CheckpointedRanges implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(io.weir.stream.api.checkpoint.CheckpointConfig.every(
          java.time.Duration.ofMillis(50)));
      job.setRestartStrategy(io.weir.stream.api.checkpoint.RestartStrategy.fixedDelay(5,
          java.time.Duration.ofMillis(20)));
      job.fromSource(new RangeSource(20_000, 250, -1), "Ranges")
          .map(i -> {
            long n = READ.incrementAndGet();
            if (n % 100 == 0) {
              Thread.sleep(1);
            }
            if (n == 4_000 || n == 13_000) {
              throw new IllegalStateException("injected failure at " + n);
            }
            return String.valueOf(i);
          })
          .sinkTo(new io.weir.stream.CommittingSink("ranges-checkpointed"));
    }
  }

  @Test
  void aCheckpointedConnectorSourceRewindsToItsSplitsPositions() throws Exception {
    JobStatus status = kit.run(CheckpointedRanges.class);
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertTrue(status.restarts() >= 1, status.summary());
    assertTrue(!status.checkpoints().isEmpty(), status.summary());
    assertEquals(LongStream.range(0, 20_000).boxed().toList(),
        io.weir.stream.CommittingSink.committed("ranges-checkpointed").stream()
            .map(Long::parseLong).sorted().toList());
  }

  @Test
  void aFailingEnumeratorFailsTheJobNamingTheSource() throws Exception {
    JobStatus status = kit.run(Ranges.class, "2", "5000", "3", "ranges-failing");
    assertEquals(JobState.FAILED, status.state(), status.summary());
    assertEquals("Ranges", status.failedOperator());
    assertTrue(status.failure().contains("split 3 cannot be handed out"), status.failure());
  }
}
