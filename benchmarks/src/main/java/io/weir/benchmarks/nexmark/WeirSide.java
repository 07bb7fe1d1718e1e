package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.TempFiles;
import io.weir.node.NodeLauncher;
import io.weir.node.WeirNode;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.Jobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Weir's side: an embedded node in this JVM on a temporary data directory (its default
 * configuration: the job master's journal on the local segment files), each query submitted as
 * a {@link WeirNexmarkJob} and awaited to its end. No checkpoints, as on the Flink side.
 */
public final class WeirSide implements NexmarkSide {
  private static final AtomicLong RUNS = new AtomicLong();

  private final Path dataDir;
  private final WeirNode node;
  private final Duration timeout;

  private WeirSide(Path dataDir, WeirNode node, Duration timeout) {
    this.dataDir = dataDir;
    this.node = node;
    this.timeout = timeout;
  }

  /**
   * Starts an embedded node.
   *
   * @param timeout how long one run may take before it fails
   */
  public static WeirSide start(Duration timeout) throws IOException {
    Path dir = Files.createTempDirectory("weir-bench-nexmark-");
    try {
      return new WeirSide(dir, NodeLauncher.defaults().withDataDir(dir).start(), timeout);
    } catch (RuntimeException e) {
      TempFiles.deleteRecursively(dir);
      throw e;
    }
  }

  @Override
  public String name() {
    return "weir";
  }

  @Override
  public Run run(Query query, long events, long seed, int parallelism, boolean full)
      throws Exception {
    String digest = "weir-" + query.label() + "-" + RUNS.incrementAndGet();
    Jobs jobs = node.weir().jobs();
    long start = System.nanoTime();
    JobStatus submitted = jobs.submit(WeirNexmarkJob.class,
        WeirNexmarkJob.args(query, events, seed, parallelism, digest, full))
        .toCompletableFuture().get(timeout.toSeconds(), TimeUnit.SECONDS);
    JobStatus end = jobs.awaitTermination(submitted.jobId(), timeout)
        .toCompletableFuture().get(timeout.toSeconds() + 10, TimeUnit.SECONDS);
    long nanos = System.nanoTime() - start;
    if (end.state() != JobState.FINISHED) {
      Digest.take(digest);
      throw new IllegalStateException("Weir's " + query.label() + " job did not finish: "
          + end.summary());
    }
    return new Run(nanos, Digest.take(digest));
  }

  @Override
  public void close() {
    try {
      node.close();
    } finally {
      TempFiles.deleteRecursively(dataDir);
    }
  }

}
