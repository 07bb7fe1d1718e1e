package io.weir.benchmarks.nexmark;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.LoggerFactory;

/**
 * Flink's side: one {@link MiniCluster} in this JVM (one task manager with as many slots as the
 * parallelism, Flink's default configuration otherwise), started once; each query is built as
 * a {@link FlinkNexmarkJob} and executed on it to the end, with or without object reuse.
 */
public final class FlinkSide implements NexmarkSide {
  private static final AtomicLong RUNS = new AtomicLong();

  private final MiniCluster cluster;
  private final boolean objectReuse;

  private FlinkSide(MiniCluster cluster, boolean objectReuse) {
    this.cluster = cluster;
    this.objectReuse = objectReuse;
  }

  /**
   * Starts a MiniCluster with {@code slots} task slots.
   *
   * @param slots the most parallelism a run may use
   * @param objectReuse whether jobs run with {@code pipeline.object-reuse} (as the Nexmark
   *     project's Flink configuration does): chained operators then hand records on without
   *     copying them, as Weir's do
   */
  public static FlinkSide start(int slots, boolean objectReuse) throws Exception {
    quiet();
    MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(new Configuration())
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(slots)
        .withRandomPorts() // the REST endpoint's default 8081 may be taken (by another cluster)
        .build());
    cluster.start();
    return new FlinkSide(cluster, objectReuse);
  }

  @Override
  public String name() {
    return "flink";
  }

  @Override
  public Run run(Query query, long events, long seed, int parallelism, boolean full)
      throws Exception {
    String digest = "flink-" + query.label() + "-" + RUNS.incrementAndGet();
    Configuration config = new Configuration();
    config.set(PipelineOptions.OBJECT_REUSE, objectReuse);
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(config);
    env.setParallelism(parallelism);
    FlinkNexmarkJob.define(env, query, events, seed, digest, full);
    long start = System.nanoTime();
    JobGraph graph = env.getStreamGraph().getJobGraph();
    try {
      cluster.executeJobBlocking(graph);
    } catch (Exception e) {
      Digest.take(digest);
      throw new IllegalStateException("Flink's " + query.label() + " job failed: " + e, e);
    }
    return new Run(System.nanoTime() - start, Digest.take(digest));
  }

  @Override
  public void close() {
    try {
      cluster.closeAsync().get(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("weir bench: Flink's MiniCluster did not stop cleanly: " + e);
    }
  }

  /**
   * Flink logs every job's life at INFO and warns of a missing web log and delegation tokens;
   * WEIR_LOG_LEVEL set by the user leaves it as it is. Failures reach the run as exceptions.
   */
  private static void quiet() {
    if (System.getenv("WEIR_LOG_LEVEL") == null
        && LoggerFactory.getLogger("org.apache.flink") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }
}
