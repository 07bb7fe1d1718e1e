package io.weir.log;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.weir.log.internal.LogImpl;
import io.weir.log.internal.LogSettings;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;

/**
 * A single-node cluster with Pekko's in-memory journal and the log started on it, for tests of
 * the log's semantics. Durability across restarts is tested with the real journals elsewhere.
 */
final class LogTestKit implements AutoCloseable {
  final ActorTestKit testKit;
  final LogImpl log;

  LogTestKit(Clock clock, String extraConfig) {
    Config config = ConfigFactory.parseString(extraConfig + """

        pekko.actor.provider = cluster
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = 0
        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
        pekko.loglevel = WARNING
        weir.log.read-journal-plugin = "pekko.persistence.testkit.query"
        """)
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(ConfigFactory.load());
    testKit = ActorTestKit.create("log-test", config);
    Cluster cluster = Cluster.get(testKit.system().classicSystem());
    cluster.join(cluster.selfAddress());
    log = new LogImpl(testKit.system(), LogSettings.fromConfig(config), clock);
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
