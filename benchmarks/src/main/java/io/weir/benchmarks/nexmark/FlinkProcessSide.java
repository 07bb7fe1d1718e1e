package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.log.BrokerFlags;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The Flink side in a JVM of its own, so that neither system's threads, heap or garbage share a
 * process with the other's: a {@link FlinkWorker} started with this JVM's memory and GC flags
 * ({@link BrokerFlags}) and class path, driven line by line. Each run is timed inside the worker
 * exactly as {@link FlinkSide} times it in process.
 */
public final class FlinkProcessSide implements NexmarkSide {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
  private final Process process;
  private final BufferedReader answers;
  private final PrintStream commands;
  private final List<String> flags;

  private FlinkProcessSide(Process process, List<String> flags) {
    this.process = process;
    this.flags = flags;
    this.answers = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  /**
   * Starts the worker JVM and waits until its MiniCluster is up.
   *
   * @param slots the most parallelism a run may use
   * @param objectReuse whether Flink runs with {@code pipeline.object-reuse}
   */
  public static FlinkProcessSide start(int slots, boolean objectReuse) throws IOException {
    List<String> flags = BrokerFlags.from(ManagementFactory.getRuntimeMXBean().getInputArguments());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FlinkWorker.class.getName());
    command.add(Integer.toString(slots));
    command.add(Boolean.toString(objectReuse));
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    FlinkProcessSide side = new FlinkProcessSide(process, flags);
    try {
      side.answer(START_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      side.close();
      throw e;
    }
    return side;
  }

  /** The flags the worker JVM runs with. */
  public List<String> flags() {
    return flags;
  }

  @Override
  public String name() {
    return "flink";
  }

  @Override
  public Run run(Query query, long events, long seed, int parallelism, boolean full)
      throws IOException {
    commands.printf(Locale.ROOT, "run %s %d %d %d %s%n", query.label(), events, seed,
        parallelism, full ? "full" : "light");
    String[] a = answer(RUN_TIMEOUT);
    return new Run(Long.parseLong(a[1]),
        new Digest(Long.parseLong(a[2]), Long.parseLong(a[3]), Long.parseLong(a[4])));
  }

  /**
   * The worker's next answer, skipping what else it printed; waits at most {@code timeout}.
   *
   * @throws IllegalStateException when the worker failed, ended or did not answer in time
   */
  private String[] answer(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      while (!answers.ready()) {
        if (!process.isAlive()) {
          throw new IllegalStateException("Flink's worker JVM ended (exit code "
              + process.exitValue() + "); its errors are above");
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("Flink's worker JVM did not answer within " + timeout);
        }
        sleep();
      }
      String line = answers.readLine();
      if (line == null) {
        break;
      }
      if (line.startsWith(FlinkWorker.DONE + " ")) {
        return line.split(" ");
      }
      if (line.startsWith(FlinkWorker.FAILED + " ")) {
        throw new IllegalStateException("Flink (own JVM): "
            + line.substring(FlinkWorker.FAILED.length() + 1));
      }
    }
    throw new IllegalStateException("Flink's worker JVM ended (exit code "
        + (process.isAlive() ? "none yet" : process.exitValue()) + "); its errors are above");
  }

  private static void sleep() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Flink's worker JVM", e);
    }
  }

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
