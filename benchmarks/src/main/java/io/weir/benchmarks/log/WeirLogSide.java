package io.weir.benchmarks.log;

import io.weir.benchmarks.TempFiles;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.Log;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.node.NodeLauncher;
import io.weir.node.WeirNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Weir's side: an embedded node in this JVM, on a data directory of its own, written with one
 * {@link LogProducer} of default settings (idempotent, 5 ms linger, 256 KiB batches, 32 MiB buffer, 5
 * batches in flight per partition) and read with {@link Log#source}.
 *
 * <p>The durability mode sets {@code weir.journal.segments.fsync} ({@code never} for
 * {@link Durability#OS}, {@code always} for {@link Durability#FSYNC}); {@code --weir-config}
 * overrides win over it. {@link #durability()} reports what the node actually runs with.
 */
final class WeirLogSide implements LogSide {
  private static final String SEGMENTS = "weir.journal.segments";
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final WeirNode node;
  private final Log log;
  private final LogProducer producer;
  private final String durability;
  private final boolean durabilityAsAsked;
  private final Thread cleanUp;

  private WeirLogSide(Path dataDir, WeirNode node, Durability mode) {
    this.dataDir = dataDir;
    this.node = node;
    this.log = node.weir().log();
    this.producer = log.newProducer(ProducerSettings.defaults());
    this.cleanUp = new Thread(() -> TempFiles.deleteRecursively(dataDir), "weir-bench-clean-up");
    Runtime.getRuntime().addShutdownHook(cleanUp);
    Config config = node.system().settings().config();
    this.durabilityAsAsked = asAsked(mode, config);
    this.durability = describe(mode, config, durabilityAsAsked);
  }

  /**
   * Starts an embedded node for {@code mode} on a new temporary data directory.
   *
   * @param mode the durability to configure
   * @param overrides configuration keys that win over the mode's (may be empty, never null)
   * @return the running side; close it to stop the node and delete its directory (a shutdown
   *     hook deletes the directory if the JVM exits first)
   */
  static WeirLogSide start(Durability mode, Map<String, String> overrides) throws Exception {
    Path dir = Files.createTempDirectory("weir-bench-log-");
    try {
      WeirNode node = NodeLauncher.defaults()
          .withDataDir(dir)
          .withConfig(SEGMENTS + ".fsync", mode == Durability.FSYNC ? "always" : "never")
          .withConfig(ConfigFactory.parseMap(overrides))
          .start();
      return new WeirLogSide(dir, node, mode);
    } catch (RuntimeException e) {
      TempFiles.deleteRecursively(dir);
      throw e;
    }
  }

  /** The journal plugin the log's partitions write to, from the running configuration. */
  private static String journalPlugin(Config config) {
    String plugin = config.getString("weir.log.journal-plugin");
    return plugin.isEmpty() ? config.getString("pekko.persistence.journal.plugin") : plugin;
  }

  /** Whether the node's journal gives {@code mode}'s guarantee. */
  private static boolean asAsked(Durability mode, Config config) {
    if (!journalPlugin(config).equals(SEGMENTS)) {
      // No per-write fsync setting is known for other journals (jdbc on H2 does not fsync
      // per commit), so only the OS mode can be claimed.
      return mode == Durability.OS;
    }
    return config.getString(SEGMENTS + ".fsync")
        .equals(mode == Durability.FSYNC ? "always" : "never");
  }

  /** The journal and its fsync policy, in words. */
  private static String describe(Durability mode, Config config, boolean asAsked) {
    String plugin = journalPlugin(config);
    String journal;
    if (plugin.equals(SEGMENTS)) {
      String fsync = config.getString(SEGMENTS + ".fsync");
      journal = "journal " + SEGMENTS + " (segment files), fsync=" + fsync
          + (fsync.equals("interval") ? " every " + config.getString(SEGMENTS + ".fsync-interval")
              : "");
    } else {
      journal = "journal " + plugin + " (no per-write fsync setting known to this benchmark)";
    }
    return "embedded node in this JVM, producer defaults (idempotent, linger 5 ms, 256 KiB "
        + "batches), "
        + journal + (asAsked ? "" : " -- NOT the '" + mode.label() + "' durability: this "
        + "comparison is of unequal guarantees; its figures are named *-unequal");
  }

  @Override
  public boolean durabilityAsAsked() {
    return durabilityAsAsked;
  }

  @Override
  public String name() {
    return "weir";
  }

  @Override
  public String durability() {
    return durability;
  }

  @Override
  public void createTopic(String topic, int partitions) throws Exception {
    await(log.createTopic(topic, partitions, Map.of()), "creating topic " + topic);
  }

  @Override
  public long produce(String topic, Workload workload) throws Exception {
    LongAdder acknowledged = new LongAdder();
    AtomicReference<Throwable> error = new AtomicReference<>();
    long start = System.nanoTime();
    for (int i = 0; i < workload.size(); i++) {
      producer.send(new ProducerRecord(topic, null, workload.key(i), workload.value(i), List.of(),
              null))
          .whenComplete((metadata, e) -> {
            if (e == null) {
              acknowledged.increment();
            } else {
              error.compareAndSet(null, e);
            }
          });
    }
    await(producer.flush(), "flushing the producer");
    long elapsed = System.nanoTime() - start;
    if (error.get() != null || acknowledged.sum() != workload.size()) {
      throw new IllegalStateException("weir: " + acknowledged.sum() + " of " + workload.size()
          + " records acknowledged" + (error.get() == null ? "" : "; first error: " + error.get()),
          error.get());
    }
    return elapsed;
  }

  @Override
  public long consume(String topic, Workload workload) throws Exception {
    Digest.Builder digest = new Digest.Builder();
    long start = System.nanoTime();
    // Records in the lists each fetch returns, as Kafka's consumer gets them from poll().
    int partitions = log.describeTopic(topic).toCompletableFuture().get().partitions();
    CompletionStage<Done> done = Source.range(0, partitions - 1)
        .flatMapMerge(partitions, p -> log.batchSource(topic, p, StartPosition.earliest(),
            IsolationLevel.READ_UNCOMMITTED))
        .map(records -> {
          for (ConsumerRecord r : records) {
            digest.add(r.key(), r.value());
          }
          return digest.count();
        })
        .takeWhile(count -> count < workload.size(), true)
        .idleTimeout(IDLE_TIMEOUT)
        .runWith(Sink.ignore(), node.system());
    try {
      done.toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException("weir: read " + digest.count() + " of " + workload.size()
          + " records of " + topic + ", then: " + e.getCause(), e.getCause());
    }
    long elapsed = System.nanoTime() - start;
    Verify.sameDigest(name(), topic, workload.expected(), digest.build());
    return elapsed;
  }

  @Override
  public LatencyProbe.Latencies latency(String topic, Workload values, LatencyProbe probe)
      throws Exception {
    Pair<UniqueKillSwitch, CompletionStage<Done>> tail = log.source(topic, StartPosition.earliest())
        .viaMat(KillSwitches.single(), Keep.right())
        .toMat(Sink.foreach(r -> probe.received(r.key())), Keep.both())
        .run(node.system());
    tail.second().whenComplete((d, e) -> {
      if (e != null) {
        probe.fail(e);
      }
    });
    try {
      return probe.run(seq -> producer.send(new ProducerRecord(topic, null, LatencyProbe.key(seq),
              values.value(seq % values.size()), List.of(), null))
          .whenComplete((m, e) -> {
            if (e != null) {
              probe.fail(e);
            }
          }), (int) IDLE_TIMEOUT.toSeconds());
    } finally {
      tail.first().shutdown();
    }
  }

  @Override
  public void deleteTopic(String topic) {
    try {
      await(log.deleteTopic(topic), "deleting topic " + topic);
    } catch (Exception e) {
      System.err.println("weir bench: could not delete weir topic " + topic + ": " + e);
    }
  }

  @Override
  public void close() {
    try {
      producer.close();
    } finally {
      node.close();
      TempFiles.deleteRecursively(dataDir);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanUp);
      } catch (IllegalStateException e) {
        // The JVM is shutting down; the hook deletes the (already deleted) directory again.
      }
    }
  }

  private static <T> T await(CompletionStage<T> stage, String what) throws Exception {
    try {
      return stage.toCompletableFuture().get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException("weir: failed " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("weir: timed out " + what, e);
    }
  }
}
