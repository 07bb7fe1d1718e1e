package io.weir.stream;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.weir.Weir;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.Jobs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;

/**
 * A single-node cluster with Pekko's in-memory journal and Weir started on it, for tests of the
 * stream runtime. Restarts across JVMs are tested with the real journals elsewhere.
 */
public final class StreamTestKit implements AutoCloseable {
  private final ActorTestKit testKit;
  private final Weir weir;

  /** A node with the default settings. */
  public StreamTestKit() {
    this("");
  }

  /**
   * A node with extra settings.
   *
   * @param extraConfig HOCON that overrides the defaults
   */
  public StreamTestKit(String extraConfig) {
    this(extraConfig, null);
  }

  /**
   * A node with extra settings that joins the cluster of {@code seed} (a cluster of its own when
   * null). Each node has its own in-memory journal: entities stay where they started.
   *
   * @param extraConfig HOCON that overrides the defaults
   * @param seed the node whose cluster to join; null to form one
   */
  public StreamTestKit(String extraConfig, StreamTestKit seed) {
    Config config = ConfigFactory.parseString(extraConfig + """

        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        pekko.loglevel = WARNING
        weir.log.read-journal-plugin = "pekko.persistence.testkit.query"
        """)
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.config())
        .withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("stream-test", config);
    Cluster cluster = Cluster.get(testKit.system().classicSystem());
    cluster.join(seed == null ? cluster.selfAddress()
        : Cluster.get(seed.testKit.system().classicSystem()).selfAddress());
    weir = Weir.get(testKit.system());
  }

  /** The node's actor system. */
  public org.apache.pekko.actor.typed.ActorSystem<Void> system() {
    return testKit.system();
  }

  /** Weir on the node. */
  public Weir weir() {
    return weir;
  }

  /** The node's jobs. */
  public Jobs jobs() {
    return weir.jobs();
  }

  /** Submits a job and waits until it is terminal. */
  public JobStatus run(Class<? extends JobDefinition> job, String... args) throws Exception {
    JobStatus submitted = await(jobs().submit(job, List.of(args)));
    try {
      return await(jobs().awaitTermination(submitted.jobId(), Duration.ofSeconds(60)));
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("job did not end: " + await(jobs().status(submitted.jobId()))
          .summary(), e);
    }
  }

  /** Waits up to 60 seconds for a stage. */
  public static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
