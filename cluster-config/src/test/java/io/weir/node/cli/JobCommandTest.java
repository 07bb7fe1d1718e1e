package io.weir.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.node.testing.TestJobs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weir job submit|list|status|cancel}, each run opening the data directory anew. */
class JobCommandTest {
  @TempDir Path temp;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  /** The id in submit's first line, "Submitted job ID.". */
  private static String submittedId(Run submit) {
    String first = submit.out().lines().findFirst().orElseThrow();
    assertTrue(first.startsWith("Submitted job "), submit.out());
    return first.substring("Submitted job ".length(), first.length() - 1);
  }

  /** The row of {@code job list} for a job, split on whitespace. */
  private static List<String> row(Run list, String jobId) {
    return list.out().lines().filter(l -> l.startsWith(jobId + " ")).findFirst()
        .map(l -> List.of(l.split("\\s+"))).orElseThrow(() -> new AssertionError(
            "no row for " + jobId + " in:\n" + list.out()));
  }

  @Test
  void boundedAndFailingJobsEndWithTheirExitCodesAndAreListed() {
    String dir = temp.resolve("data").toString();

    Run bounded = run("job", "submit", TestJobs.Bounded.class.getName(), "--data-dir", dir);
    assertEquals(0, bounded.exitCode(), bounded.out() + bounded.err());
    String boundedId = submittedId(bounded);
    List<String> lines = bounded.out().lines().toList();
    assertEquals(boundedId + "  FINISHED  attempt 1", lines.get(lines.size() - 1), bounded.out());
    assertEquals("", bounded.err());

    Run failing = run("job", "submit", TestJobs.Failing.class.getName(), "--data-dir", dir);
    assertEquals(1, failing.exitCode(), failing.out() + failing.err());
    String failingId = submittedId(failing);
    assertTrue(failing.out().contains(failingId + "  FAILED  attempt 1"), failing.out());
    List<String> err = failing.err().lines().toList();
    assertEquals(1, err.size(), failing.err());
    assertTrue(err.get(0).startsWith("weir: job " + failingId + " failed in operator '"
        + TestJobs.Failing.OPERATOR + "': "), failing.err());
    assertTrue(err.get(0).contains("cannot take 2"), failing.err());

    Run list = run("job", "list", "--data-dir", dir);
    assertEquals(0, list.exitCode(), list.err());
    assertEquals(List.of("JOB", "STATE", "ATTEMPT", "SUBMITTED", "DEFINITION"),
        List.of(list.out().lines().findFirst().orElseThrow().split("\\s+")));
    assertEquals(List.of(boundedId, "FINISHED", "1"), row(list, boundedId).subList(0, 3));
    assertEquals(TestJobs.Bounded.class.getName(), row(list, boundedId).get(4));
    assertEquals(List.of(failingId, "FAILED", "1"), row(list, failingId).subList(0, 3));

    Run status = run("job", "status", failingId, "--data-dir", dir);
    assertEquals(0, status.exitCode(), status.err());
    assertTrue(status.out().startsWith("Job: " + failingId + "\tState: FAILED\tAttempt: 1"),
        status.out());
    assertTrue(status.out().contains("Failure: job " + failingId + " failed in operator '"
        + TestJobs.Failing.OPERATOR + "'"), status.out());
  }

  @Test
  void aDetachedJobIsRecordedNotResumedByLookingAndCanBeCanceled() {
    String dir = temp.resolve("detached").toString();
    assertEquals(0, run("topic", "create", "in", "--data-dir", dir).exitCode());
    assertEquals(0, run("topic", "create", "out", "--data-dir", dir).exitCode());

    Run submit = run("job", "submit", TestJobs.Relay.class.getName(), "in", "out", "--detach",
        "--data-dir", dir);
    assertEquals(0, submit.exitCode(), submit.err());
    String jobId = submit.out().strip();
    assertFalse(jobId.isEmpty() || jobId.contains("\n"), submit.out());
    assertTrue(submit.err().contains("weir node"), submit.err());

    // Looking at it, or at the topics, neither deploys it (no new attempt) nor ends it: only
    // `weir node` resumes jobs.
    for (int i = 0; i < 2; i++) {
      assertEquals(0, run("topic", "describe", "in", "--data-dir", dir).exitCode());
      Run list = run("job", "list", "--data-dir", dir);
      assertEquals(0, list.exitCode(), list.err());
      List<String> row = row(list, jobId);
      assertTrue(List.of("CREATED", "RUNNING").contains(row.get(1)), list.out());
      assertEquals("1", row.get(2), list.out());
    }

    Run cancel = run("job", "cancel", jobId, "--data-dir", dir);
    assertEquals(0, cancel.exitCode(), cancel.err());
    assertEquals("Canceled job " + jobId + ".", cancel.out().strip());
    Run status = run("job", "status", jobId, "--data-dir", dir);
    assertTrue(status.out().startsWith("Job: " + jobId + "\tState: CANCELED"), status.out());
    Run again = run("job", "cancel", jobId, "--data-dir", dir);
    assertEquals(0, again.exitCode(), again.err());
    assertEquals("Job " + jobId + " had ended already: CANCELED.", again.out().strip());
  }

  @Test
  void aSavepointStopsAJobAndANewJobStartsFromItWithAnotherParallelism() {
    String dir = temp.resolve("savepoint").toString();
    assertEquals(0, run("topic", "create", "in", "--data-dir", dir).exitCode());
    assertEquals(0, run("topic", "create", "out", "--data-dir", dir).exitCode());
    Run submit = run("job", "submit", TestJobs.Relay.class.getName(), "in", "out", "--detach",
        "--data-dir", dir);
    String jobId = submit.out().strip();

    Run savepoint = run("job", "savepoint", jobId, "--stop", "--data-dir", dir);
    assertEquals(0, savepoint.exitCode(), savepoint.out() + savepoint.err());
    String savepointId = savepoint.out().strip();
    assertTrue(savepointId.startsWith(jobId + "-savepoint-"), savepoint.out());
    Run stopped = run("job", "status", jobId, "--data-dir", dir);
    assertTrue(stopped.out().startsWith("Job: " + jobId + "\tState: CANCELED"), stopped.out());
    assertTrue(stopped.out().contains("Checkpoints:"), stopped.out());
    // The ended job's retained checkpoint, kept again as a savepoint; one it does not retain.
    String checkpointId = savepointId.substring(savepointId.lastIndexOf('-') + 1);
    Run kept = run("job", "savepoint", jobId, "--checkpoint", checkpointId, "--data-dir", dir);
    assertEquals(savepointId, kept.out().strip(), kept.err());
    Run notKept = run("job", "savepoint", jobId, "--checkpoint", "999999", "--data-dir", dir);
    assertEquals(1, notKept.exitCode(), notKept.out());
    assertTrue(notKept.err().contains("no retained checkpoint 999999"), notKept.err());

    Run from = run("job", "submit", TestJobs.Relay.class.getName(), "in", "out", "--detach",
        "--from-savepoint", savepointId, "--parallelism", "2", "--data-dir", dir);
    assertEquals(0, from.exitCode(), from.err());
    Run again = run("job", "savepoint", from.out().strip(), "--data-dir", dir);
    assertEquals(0, again.exitCode(), again.out() + again.err()
        + run("job", "status", from.out().strip(), "--data-dir", dir).out());

    Run missing = run("job", "submit", TestJobs.Relay.class.getName(), "in", "out",
        "--from-savepoint", "no-such-savepoint", "--data-dir", dir);
    assertEquals(1, missing.exitCode(), missing.out() + missing.err());
    assertTrue(missing.err().contains("no savepoint with id 'no-such-savepoint'"),
        missing.err());
  }

  @Test
  void anUnknownJobIsAOneLineFailure() {
    String dir = temp.resolve("empty").toString();
    Run status = run("job", "status", "nosuchjob-1", "--data-dir", dir);
    assertEquals(1, status.exitCode());
    assertEquals(List.of("weir: no job with id 'nosuchjob-1'; `weir job list` shows the jobs"),
        status.err().lines().toList());
    Run cancel = run("job", "cancel", "nosuchjob-2", "--data-dir", dir);
    assertEquals(1, cancel.exitCode());
    assertEquals(1, cancel.err().lines().count(), cancel.err());
    assertTrue(cancel.err().contains("'nosuchjob-2'"), cancel.err());
    Run missingClass = run("job", "submit", "com.example.NoSuchJob", "--data-dir", dir);
    assertEquals(1, missingClass.exitCode());
    assertTrue(missingClass.err().startsWith("weir: ")
        && missingClass.err().contains("com.example.NoSuchJob"), missingClass.err());
    assertFalse(missingClass.err().contains("\tat "), missingClass.err());
    Run noClass = run("job", "submit", "--data-dir", dir);
    assertEquals(2, noClass.exitCode());
  }
}
