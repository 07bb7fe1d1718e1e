package io.weir.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark side in a JVM of its own, driven line by line: commands go to its standard
 * input; it answers each (and its start) with one line beginning with its done marker and the
 * figures, or its failed marker and the reason; anything else it prints is skipped, and its
 * standard error goes to this JVM's. Not thread-safe.
 */
public final class WorkerProcess implements AutoCloseable {
  private final String name;
  private final String done;
  private final String failed;
  private final Process process;
  private final BufferedReader answers;
  private final PrintStream commands;

  private WorkerProcess(String name, String done, String failed, Process process) {
    this.name = name;
    this.done = done;
    this.failed = failed;
    this.process = process;
    this.answers = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /**
   * Starts the worker and waits for its first answer (it is ready).
   *
   * @param name the side's name in errors, such as {@code Flink} or {@code debezium}
   * @param command the worker's command line (java, flags, class path, main class, arguments)
   * @param done the marker that begins an answer
   * @param failed the marker that begins a failure
   * @param startTimeout how long the worker may take to be ready
   * @throws IllegalStateException when it fails, ends or is not ready in time (it is stopped)
   */
  public static WorkerProcess start(String name, List<String> command, String done,
      String failed, Duration startTimeout) throws IOException {
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    WorkerProcess worker = new WorkerProcess(name, done, failed, process);
    try {
      worker.answer(startTimeout);
    } catch (IOException | RuntimeException e) {
      worker.close();
      throw e;
    }
    return worker;
  }

  /** Sends one command line. */
  public void send(String line) {
    commands.println(line);
  }

  /**
   * The worker's next answer split at spaces (the marker first), skipping what else it
   * printed; waits at most {@code timeout}.
   *
   * @throws IllegalStateException when the worker failed, ended or did not answer in time
   */
  public String[] answer(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      while (!answers.ready()) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + "'s worker JVM ended (exit code "
              + process.exitValue() + "); its errors are above");
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException(name + "'s worker JVM did not answer within "
              + timeout);
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + name
              + "'s worker JVM", e);
        }
      }
      String line = answers.readLine();
      if (line == null) {
        break;
      }
      if (line.startsWith(done + " ")) {
        return line.split(" ");
      }
      if (line.startsWith(failed + " ")) {
        throw new IllegalStateException(name + " (own JVM): "
            + line.substring(failed.length() + 1));
      }
    }
    throw new IllegalStateException(name + "'s worker JVM ended (exit code "
        + (process.isAlive() ? "none yet" : process.exitValue()) + "); its errors are above");
  }

  /** Asks the worker to exit, and stops it if it has not within a minute. */
  @Override
  public void close() {
    commands.println("exit");
    try {
      if (!process.waitFor(1, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
