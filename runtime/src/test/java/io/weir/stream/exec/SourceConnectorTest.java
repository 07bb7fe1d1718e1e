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

  @Test
  void aFailingEnumeratorFailsTheJobNamingTheSource() throws Exception {
    JobStatus status = kit.run(Ranges.class, "2", "5000", "3", "ranges-failing");
    assertEquals(JobState.FAILED, status.state(), status.summary());
    assertEquals("Ranges", status.failedOperator());
    assertTrue(status.failure().contains("split 3 cannot be handed out"), status.failure());
  }
}
