package io.weir.node.cli;

import io.weir.node.WeirNode;
import io.weir.stream.api.CheckpointStats;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.Jobs;
import io.weir.stream.api.SubmitOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir job}: submit, list, show and cancel stream jobs. Each run opens the data directory
 * as a node of its own, which (as for every command but {@code weir node}) resumes no job:
 * {@code list}, {@code status} and {@code cancel} only look, and {@code submit} runs only the job
 * it submits. {@code weir node} resumes every job that was running.
 */
@Command(name = "job", mixinStandardHelpOptions = true,
    description = "Submit, list, show, cancel and savepoint stream jobs.",
    subcommands = {JobCommand.Submit.class, JobCommand.ListJobs.class, JobCommand.Status.class,
        JobCommand.Cancel.class, JobCommand.Savepoint.class})
public final class JobCommand implements Runnable {
  /** How often a waiting {@code submit} asks for the job's status. */
  static final long POLL_MILLIS = 200;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a job command is required");
  }

  /** {@code weir job submit CLASS [ARGS...] [--detach]}. */
  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Submit a job: a JobDefinition class on the class path and its arguments.",
          "",
          "Without --detach, runs the job in this process and prints each change of its state "
              + "until it ends: exit code 0 when it FINISHED, 1 when it FAILED (naming the failed "
              + "operator) or was CANCELED. An unbounded job runs until Ctrl-C, which leaves it "
              + "RUNNING: it is resumed, as a new attempt, the next time a node starts on the same "
              + "data directory ('weir node').",
          "",
          "With --detach, records the job, prints its id and exits: the job runs when a node "
              + "('weir node') runs on the data directory."})
  static final class Submit implements Callable<Integer> {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "CLASS",
        description = "The job's JobDefinition class, such as "
            + "io.weir.samples.wordcount.WordCountJob.") String definition;
    @Parameters(index = "1..*", paramLabel = "ARGS", description = "The job's arguments.")
    List<String> args = new ArrayList<>();
    @Option(names = "--detach", description = "Print the job id and exit at once.")
    boolean detach;
    @Option(names = "--from-savepoint", paramLabel = "ID",
        description = "Start from this savepoint (see 'weir job savepoint'): keyed state, source "
            + "positions.")
    String fromSavepoint;
    @Option(names = "--parallelism", paramLabel = "N",
        description = "Run with this default parallelism instead of the definition's, for "
            + "example to rescale from a savepoint.")
    Integer parallelism;

    private SubmitOptions options() {
      return new SubmitOptions(fromSavepoint, parallelism);
    }

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      WeirNode n = node.start();
      if (detach) {
        try (n) {
          JobStatus submitted = Blocking.await(n.weir().jobs().submit(definition, args,
              options()));
          out.println(submitted.jobId());
          spec.commandLine().getErr().println("weir: job " + submitted.jobId()
              + " submitted; it runs when a node runs on " + n.settings().dataDir()
              + " (weir node)");
          return 0;
        }
      }
      return runAttached(n, out);
    }

    /** Submits, then prints every change of state until the job ends or Ctrl-C. */
    private int runAttached(WeirNode n, PrintWriter out) throws InterruptedException {
      return AttachedJob.run(n, definition, args, options(), out,
          spec.commandLine().getErr());
    }
  }

  /** {@code weir job list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List every job submitted on the data directory: id, state, attempt, "
          + "definition and arguments.")
  static final class ListJobs implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        List<JobStatus> all = Blocking.await(n.weir().jobs().list());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"JOB", "STATE", "ATTEMPT", "SUBMITTED", "DEFINITION"});
        for (JobStatus s : all) {
          rows.add(new String[] {s.jobId(), s.state().name(), String.valueOf(s.attempt()),
              Instant.ofEpochMilli(s.submittedAt()).toString(), s.definition()
              + (s.args().isEmpty() ? "" : " " + String.join(" ",
                  shown(s).stream().map(JobCommand::oneLine).toList()))});
        }
        GroupsCommand.printTable(spec.commandLine().getOut(), rows);
      }
    }
  }

  /**
   * A job's arguments as its definition shows them ({@link JobDefinition#redact}: secrets
   * hidden); when the class is not on this class path, or fails, every argument hidden.
   */
  static List<String> shown(JobStatus s) {
    try {
      JobDefinition definition = Class.forName(s.definition()).asSubclass(JobDefinition.class)
          .getDeclaredConstructor().newInstance();
      List<String> shown = definition.redact(s.args());
      if (shown != null && shown.size() == s.args().size()) {
        return shown;
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // fall through: show nothing that could be a secret
    }
    return s.args().stream().map(a -> "(hidden: " + s.definition() + " is not on this class "
        + "path)").toList();
  }

  /**
   * An argument on one row of the list: one holding line breaks (such as a pipeline file's
   * text) as its first line and its size; {@code job status} shows it whole.
   */
  static String oneLine(String arg) {
    int newline = arg.indexOf('\n');
    return newline < 0 ? arg : arg.substring(0, newline).strip() + "...(" + arg.length()
        + " chars)";
  }

  /** {@code weir job status JOB}. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show a job's state, attempt, definition and, if it failed, where and why.")
  static final class Status implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "JOB", description = "The job's id (see 'weir job list').")
    String jobId;

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        JobStatus s = Blocking.await(n.weir().jobs().status(jobId));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Job: " + s.jobId() + "\tState: " + s.state() + "\tAttempt: " + s.attempt());
        out.println("Definition: " + s.definition()
            + (s.args().isEmpty() ? "" : " " + String.join(" ", shown(s))));
        out.println("Submitted: " + Instant.ofEpochMilli(s.submittedAt())
            + (s.endedAt() == 0 ? "" : "\tEnded: " + Instant.ofEpochMilli(s.endedAt())));
        if (s.failure() != null) {
          out.println("Failure: " + failure(s));
        }
        if (s.restarts() > 0) {
          out.println("Restarts: " + s.restarts());
        }
        if (!s.checkpoints().isEmpty()) {
          out.println("Checkpoints:");
          out.println(String.format("  %-6s %-24s %10s %12s %14s", "ID", "STARTED",
              "DURATION", "SIZE", "ALIGNMENT"));
          for (CheckpointStats c : s.checkpoints()) {
            out.println(String.format("  %-6d %-24s %8d ms %10d B %11d ms", c.id(),
                Instant.ofEpochMilli(c.startedAt()), c.durationMillis(), c.bytes(),
                c.alignmentMillis()));
          }
        }
      }
    }
  }

  /** {@code weir job savepoint JOB [--stop | --checkpoint ID]}. */
  @Command(name = "savepoint", mixinStandardHelpOptions = true,
      description = {"Take a savepoint of a job and print its id.",
          "",
          "The job runs in this process for the moment (its node resumes it from its latest "
              + "checkpoint), the savepoint is taken once it runs, and the process exits. With "
              + "--stop the job is then canceled; without, it stays RUNNING and resumes when a "
              + "node next starts on the data directory.",
          "",
          "With --checkpoint ID, one of the checkpoints the job retains (see 'weir job status "
              + "JOB') is kept as the savepoint instead, whatever the job's state, ended too: "
              + "the way back to an earlier point.",
          "",
          "Start a job from the savepoint with 'weir job submit CLASS --from-savepoint ID "
              + "[--parallelism N]'."})
  static final class Savepoint implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "JOB", description = "The job's id (see 'weir job list').")
    String jobId;
    @Option(names = "--stop", description = "Cancel the job once the savepoint is taken.")
    boolean stop;
    @Option(names = "--checkpoint", paramLabel = "ID", description = "Keep this retained "
        + "checkpoint of the job as the savepoint instead of taking one.")
    Long checkpoint;

    @Override
    public void run() {
      if (checkpoint != null && stop) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--checkpoint keeps an existing checkpoint; --stop goes with a new savepoint only");
      }
      try (WeirNode n = node.launcher().start()) {
        Jobs jobs = n.weir().jobs();
        if (checkpoint != null) {
          spec.commandLine().getOut().println(Blocking.await(jobs.savepointOf(jobId,
              checkpoint)));
          return;
        }
        JobStatus s = Blocking.await(jobs.status(jobId));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (s.state() != JobState.RUNNING && !s.state().isTerminal()
            && System.nanoTime() < deadline) {
          sleep();
          s = Blocking.await(jobs.status(jobId));
        }
        if (s.state() != JobState.RUNNING) {
          throw new IllegalStateException("job " + jobId + " is " + s.state()
              + ", not RUNNING: no savepoint");
        }
        String id = savepointWhenReady(jobs, deadline);
        spec.commandLine().getOut().println(id);
        if (stop) {
          Blocking.await(jobs.awaitTermination(jobId, Duration.ofSeconds(60)));
        }
      }
    }

    /** Retries while a checkpoint is in progress, until the deadline. */
    private String savepointWhenReady(Jobs jobs, long deadline) {
      while (true) {
        try {
          return Blocking.await(jobs.savepoint(jobId, stop));
        } catch (RuntimeException e) {
          if (!String.valueOf(e.getMessage()).contains("try again")
              || System.nanoTime() > deadline) {
            throw e;
          }
          sleep();
        }
      }
    }

    private static void sleep() {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** {@code weir job cancel JOB}. */
  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel a job: it ends CANCELED and is never resumed. A job that has ended "
          + "already is left as it is.")
  static final class Cancel implements Runnable {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Parameters(paramLabel = "JOB", description = "The job's id (see 'weir job list').")
    String jobId;

    @Override
    public void run() {
      try (WeirNode n = node.start()) {
        Jobs jobs = n.weir().jobs();
        JobStatus before = Blocking.await(jobs.status(jobId));
        if (before.state().isTerminal()) {
          spec.commandLine().getOut().println("Job " + jobId + " had ended already: "
              + before.state() + ".");
          return;
        }
        JobStatus s = Blocking.await(jobs.cancel(jobId));
        if (!s.state().isTerminal()) {
          s = Blocking.await(jobs.awaitTermination(jobId, Duration.ofSeconds(60)));
        }
        spec.commandLine().getOut().println("Canceled job " + jobId + ".");
      }
    }
  }

  /** One line per change of state, as {@code submit} prints it. */
  static String line(JobStatus s) {
    return s.jobId() + "  " + s.state() + "  attempt " + s.attempt();
  }

  /** Why a job did not finish, on one line. */
  static String failure(JobStatus s) {
    if (s.state() == JobState.CANCELED) {
      return "job " + s.jobId() + " was canceled";
    }
    return "job " + s.jobId() + " failed"
        + (s.failedOperator() == null ? "" : " in operator '" + s.failedOperator() + "'")
        + ": " + (s.failure() == null ? "unknown failure" : s.failure().strip()
            .replace('\n', ' '));
  }
}
