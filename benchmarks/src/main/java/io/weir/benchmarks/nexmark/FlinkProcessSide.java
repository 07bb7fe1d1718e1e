package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.WorkerProcess;
import io.weir.benchmarks.log.BrokerFlags;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Flink side in a JVM of its own, so that neither system's threads, heap or garbage share a
 * process with the other's: a {@link FlinkWorker} started with this JVM's memory and GC flags
 * ({@link BrokerFlags}) and class path, driven line by line. Each run is timed inside the worker
 * exactly as {@link FlinkSide} times it in process.
 */
public final class FlinkProcessSide implements NexmarkSide {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
  private final WorkerProcess worker;
  private final List<String> flags;

  private FlinkProcessSide(WorkerProcess worker, List<String> flags) {
    this.worker = worker;
    this.flags = flags;
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
    return new FlinkProcessSide(WorkerProcess.start("Flink", command, FlinkWorker.DONE,
        FlinkWorker.FAILED, START_TIMEOUT), flags);
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
    worker.send(String.format(Locale.ROOT, "run %s %d %d %d %s", query.label(), events, seed,
        parallelism, full ? "full" : "light"));
    String[] a = worker.answer(RUN_TIMEOUT);
    return new Run(Long.parseLong(a[1]),
        new Digest(Long.parseLong(a[2]), Long.parseLong(a[3]), Long.parseLong(a[4])));
  }

  @Override
  public void close() {
    worker.close();
  }
}
