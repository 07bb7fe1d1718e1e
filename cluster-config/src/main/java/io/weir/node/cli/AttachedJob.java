package io.weir.node.cli;

import io.weir.node.WeirNode;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.Jobs;
import io.weir.stream.api.SubmitOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A job run in the foreground of a command: {@code weir job submit} without {@code --detach},
 * and commands of other modules that run a job of their own (such as {@code weir cdc}).
 */
public final class AttachedJob {
  private AttachedJob() {}

  /**
   * Submits a job in this process and prints every change of its state until it ends (exit
   * code 0 when FINISHED, 1 otherwise, with the failure on {@code err}) or until Ctrl-C (130;
   * the job stays RUNNING and resumes when a node next starts on the data directory).
   *
   * @param n the node, closed at the end
   * @param definition the job's definition class
   * @param args its arguments
   * @param options savepoint and parallelism
   * @param out where states are printed
   * @param err where the failure is printed
   * @return the exit code
   * @throws InterruptedException when interrupted while waiting
   */
  public static int run(WeirNode n, String definition, List<String> args,
      SubmitOptions options, PrintWriter out, PrintWriter err) throws InterruptedException {
    return run(n, definition, args, options, out, err, () -> null);
  }

  /**
   * As {@link #run(WeirNode, String, List, SubmitOptions, PrintWriter, PrintWriter)}, also
   * printing {@code progress} (a line, or null for none) whenever it changes while the job runs,
   * and once more when it ends.
   *
   * @param progress called on the command's thread every poll; must not block
   */
  public static int run(WeirNode n, String definition, List<String> args,
      SubmitOptions options, PrintWriter out, PrintWriter err, Supplier<String> progress)
      throws InterruptedException {
    AtomicReference<JobStatus> last = new AtomicReference<>();
    CountDownLatch closed = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Thread hook = new Thread(() -> {
      stopping.set(true);
      JobStatus s = last.get();
      if (s != null && !s.state().isTerminal()) {
        System.err.println("weir: interrupted; job " + s.jobId() + " stays " + s.state()
            + " and resumes when a node starts on " + n.settings().dataDir());
      }
      n.close();
      closed.countDown();
    }, "weir-job-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Jobs jobs = n.weir().jobs();
      JobStatus status = Blocking.await(jobs.submit(definition, args, options));
      last.set(status);
      out.println("Submitted job " + status.jobId() + ".");
      out.println(JobCommand.line(status));
      out.flush();
      String shown = null;
      while (!status.state().isTerminal()) {
        Thread.sleep(JobCommand.POLL_MILLIS);
        JobStatus next = Blocking.await(jobs.status(status.jobId()));
        if (next.state() != status.state() || next.attempt() != status.attempt()) {
          out.println(JobCommand.line(next));
          out.flush();
        }
        shown = showProgress(progress, shown, out);
        status = next;
        last.set(status);
      }
      showProgress(progress, shown, out);
      if (status.state() == JobState.FINISHED) {
        return 0;
      }
      err.println("weir: " + JobCommand.failure(status));
      return 1;
    } catch (RuntimeException e) {
      if (stopping.get()) {
        // Ctrl-C closed the node under the loop; the hook has said what happens to the job.
        return 130;
      }
      throw e;
    } finally {
      boolean removed;
      try {
        removed = Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        removed = false;
      }
      if (removed) {
        n.close();
      } else {
        closed.await();
      }
    }
  }

  private static String showProgress(Supplier<String> progress, String shown, PrintWriter out) {
    String now = progress.get();
    if (now != null && !now.equals(shown)) {
      out.println(now);
      out.flush();
      return now;
    }
    return shown;
  }
}
