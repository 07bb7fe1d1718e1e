package io.weir.lakehouse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.weir.Weir;
import io.weir.stream.api.Jobs;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;

/**
 * A single-node cluster with Pekko's in-memory journal and Weir on it, for jobs writing into
 * lakehouse tables, with small batches so that checkpoints complete often.
 */
final class LakehouseTestKit implements AutoCloseable {
  private final ActorTestKit testKit;
  private final Weir weir;

  LakehouseTestKit() {
    Config config = ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        pekko.loglevel = WARNING
        weir.log.read-journal-plugin = "pekko.persistence.testkit.query"
        # small batches and buffers: barriers wait behind less data, checkpoints come often
        weir.stream.batch-size = 32
        weir.stream.exchange-buffer = 2
        """)
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("lakehouse-test", config);
    Cluster cluster = Cluster.get(testKit.system().classicSystem());
    cluster.join(cluster.selfAddress());
    weir = Weir.get(testKit.system());
  }

  Jobs jobs() {
    return weir.jobs();
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
