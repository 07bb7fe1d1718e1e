package io.weir.multijvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A worker JVM on this machine, started with the test's own class path: the harness for tests
 * that need real processes (several nodes, a producer to kill). Standard output and error are
 * collected line by line; {@link #kill()} sends SIGKILL, as a crash would.
 *
 * <pre>{@code
 * try (WorkerJvm worker = WorkerJvm.start(MyMain.class, List.of("arg"), workDir)) {
 *   worker.awaitLine(line -> line.startsWith("READY"), Duration.ofSeconds(30));
 *   worker.kill();
 * }
 * }</pre>
 *
 * <p>Thread-safe. The class path is surefire's test class path when run under Maven
 * ({@code surefire.test.class.path}), else this JVM's.
 */
public final class WorkerJvm implements AutoCloseable {
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();

  private WorkerJvm(Process process) {
    this.process = process;
    pump(process.getInputStream(), out, "out");
    pump(process.getErrorStream(), err, "err");
  }

  /**
   * Starts {@code mainClass} in a new JVM.
   *
   * @param mainClass a class with a {@code main} method on the test class path
   * @param args its arguments, never null
   * @param workDir the worker's working directory, never null
   * @return the running worker
   * @throws IOException if the JVM cannot be started
   */
  public static WorkerJvm start(Class<?> mainClass, List<String> args, Path workDir)
      throws IOException {
    return start(mainClass.getName(), args, workDir);
  }

  /** Like {@link #start(Class, List, Path)}, naming the main class. */
  public static WorkerJvm start(String mainClass, List<String> args, Path workDir)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().remove("WEIR_DATA_DIR");
    return new WorkerJvm(builder.start());
  }

  /** The class path workers run with. */
  public static String classPath() {
    return Objects.requireNonNullElse(System.getProperty("surefire.test.class.path"),
        System.getProperty("java.class.path"));
  }

  /** Writes {@code line} and a newline to the worker's standard input, which stays open. */
  public void writeLine(String line) throws IOException {
    OutputStream stdin = process.getOutputStream();
    synchronized (process) {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }
  }

  /** Whether the worker's process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Writes {@code text} to the worker's standard input and closes it. */
  public void writeStdinAndClose(String text) throws IOException {
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Waits for a line of standard output that matches.
   *
   * @return the first matching line
   * @throws AssertionError if none arrives in time or the worker exits first
   */
  public String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (System.nanoTime() < deadline) {
      synchronized (out) {
        for (; seen < out.size(); seen++) {
          if (matches.test(out.get(seen))) {
            return out.get(seen);
          }
        }
        if (!process.isAlive() && seen == out.size()) {
          throw new AssertionError("worker exited with " + process.exitValue()
              + " before the line arrived; stderr: " + stderr());
        }
        out.wait(100);
      }
    }
    throw new AssertionError("no matching line within " + timeout + "; stderr: " + stderr());
  }

  /**
   * Waits until {@code count} lines of standard output have matched.
   *
   * @return the first {@code count} matching lines, in order
   * @throws AssertionError if they do not arrive in time or the worker exits first
   */
  public List<String> awaitLines(Predicate<String> matches, int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      synchronized (out) {
        List<String> found = out.stream().filter(matches).limit(count).toList();
        if (found.size() == count) {
          return found;
        }
        if (!process.isAlive()) {
          throw new AssertionError("worker exited with " + process.exitValue() + " after "
              + found.size() + " of " + count + " matching lines; stderr: " + stderr());
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(found.size() + " of " + count + " matching lines within "
              + timeout + "; stderr: " + stderr());
        }
        out.wait(100);
      }
    }
  }

  /** Waits for the worker to exit and returns its exit code. */
  public int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError("worker did not exit within " + timeout + "; stderr: " + stderr());
    }
    // Let the pumps drain what the worker wrote last.
    synchronized (out) {
      out.wait(200);
    }
    return process.exitValue();
  }

  /**
   * Stops the worker with SIGTERM, as an operator stops a node: its JVM's shutdown hook runs
   * Pekko's coordinated shutdown (leave the cluster, hand its shards over). Waits until it is
   * gone; SIGKILL after {@code timeout}.
   *
   * @return the exit code
   */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return waitFor(timeout);
  }

  /** Kills the worker with SIGKILL and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Every line of standard output so far. */
  public List<String> stdout() {
    synchronized (out) {
      return List.copyOf(out);
    }
  }

  /** Standard error so far, as one string. */
  public String stderr() {
    synchronized (err) {
      return String.join("\n", err);
    }
  }

  /** Kills the worker if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private static void pump(java.io.InputStream stream, List<String> lines, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(
          new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (lines) {
            lines.add(line);
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // The worker is gone; what was read stays.
      }
    }, "worker-" + name);
    t.setDaemon(true);
    t.start();
  }
}
