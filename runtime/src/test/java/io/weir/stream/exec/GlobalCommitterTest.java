package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CommittingSink;
import io.weir.stream.GlobalCommittingSink;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A two-phase-commit sink with a global committer: writers at parallelism 3 send their
 * committables ahead of each barrier to one committer (parallelism 1), which commits every
 * subtask's staging of a checkpoint in one call; exactly once across a failure, and bounded
 * inputs commit at the final checkpoint, or at once without checkpoints.
 */
class GlobalCommitterTest {
  private static final int RECORDS = 900;
  private static final AtomicBoolean FAILED = new AtomicBoolean();
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.batch-size = 16\nweir.stream.exchange-buffer = 2");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** args: result name, "checkpoints" or "none", "fail" or "ok". */
  public static final class Job implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      String name = args.get(0);
      boolean fail = args.get(2).equals("fail");
      job.setParallelism(3);
      if (args.get(1).equals("checkpoints")) {
        job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      }
      job.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(100)));
      job.generate(i -> {
        Thread.sleep(1);
        return "r" + i;
      }, RECORDS).setParallelism(1)
          .rebalance()
          .map(s -> {
            if (fail && CommittingSink.committed(name).size() >= RECORDS / 3
                && FAILED.compareAndSet(false, true)) {
              throw new IllegalStateException("injected failure after some commits");
            }
            return s;
          })
          .sinkTo(new GlobalCommittingSink(name));
    }
  }

  private static void assertEveryRecordOnce(String name, JobStatus end) {
    List<String> committed = CommittingSink.committed(name);
    assertEquals(RECORDS, new HashSet<>(committed).size(), "every record committed: "
        + end.summary());
    assertEquals(RECORDS, committed.size(), "no record committed twice: " + end.summary());
    for (String c : GlobalCommittingSink.committers(name)) {
      assertEquals("0/1", c, "one committer, subtask 0 of parallelism 1");
    }
    assertFalse(GlobalCommittingSink.committers(name).isEmpty());
  }

  @Test
  void oneCommitterCommitsEverySubtasksStagingsOfACheckpointInOneCall() throws Exception {
    JobStatus end = kit.run(Job.class, "global", "checkpoints", "ok");
    assertEquals(JobState.FINISHED, end.state(), end.summary());
    assertEveryRecordOnce("global", end);
    List<Set<Integer>> calls = GlobalCommittingSink.commitCalls("global");
    assertTrue(calls.stream().anyMatch(s -> s.size() > 1),
        "a commit call carried several writer subtasks' stagings: " + calls);
    assertEquals(1, GlobalCommittingSink.committers("global").size(), "one committer");
  }

  @Test
  void withoutCheckpointsTheCommitterCommitsAtTheEndOfInput() throws Exception {
    JobStatus end = kit.run(Job.class, "global-none", "none", "ok");
    assertEquals(JobState.FINISHED, end.state(), end.summary());
    assertEveryRecordOnce("global-none", end);
    assertEquals(List.of(Set.of(0, 1, 2)), GlobalCommittingSink.commitCalls("global-none"));
  }

  @Test
  void aFailureAfterSomeCommitsCommitsEveryRecordOnce() throws Exception {
    JobStatus end = kit.run(Job.class, "global-fail", "checkpoints", "fail");
    assertEquals(JobState.FINISHED, end.state(), end.summary());
    assertTrue(end.restarts() >= 1, "the injected failure restarted the job: " + end.summary());
    assertEveryRecordOnce("global-fail", end);
  }
}
