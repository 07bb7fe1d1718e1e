package io.weir.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery TLS between nodes ({@code pekko.remote.artery.transport = tls-tcp}, mutual
 * authentication): two nodes holding a trusted certificate form a cluster and work together; a
 * node whose certificate they do not trust cannot join.
 */
class TlsClusterTest {
  private static final Duration STEP = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void nodesWithTrustedCertificatesFormAClusterAndAnUntrustedNodeCannotJoin() throws Exception {
    keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-validity", "30",
        "-keystore", "node.p12", "-storetype", "PKCS12", "-storepass", "node-pass");
    keytool("-exportcert", "-alias", "node", "-keystore", "node.p12", "-storepass", "node-pass",
        "-rfc", "-file", "node.pem");
    keytool("-importcert", "-noprompt", "-alias", "node", "-file", "node.pem",
        "-keystore", "trust.p12", "-storetype", "PKCS12", "-storepass", "trust-pass");
    keytool("-genkeypair", "-alias", "rogue", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-validity", "30",
        "-keystore", "rogue.p12", "-storetype", "PKCS12", "-storepass", "rogue-pass");
    try (LocalCluster cluster = new LocalCluster(dir, 3, "")) {
      cluster.start(0, ClusterWorker.class, List.of(), tls("node.p12", "node-pass"));
      cluster.start(1, ClusterWorker.class, List.of(), tls("node.p12", "node-pass"));
      cluster.awaitMembers(2, STEP);
      // Requests cross the TLS connections: the topic registry lives on one of the two nodes.
      JobFailoverTest.command(cluster.worker(1), "topic over-tls 4");
      JobFailoverTest.command(cluster.worker(0), "produce over-tls 100 10");

      // Its certificate is not in the trust store: the handshake fails and it never joins.
      cluster.start(2, ClusterWorker.class, List.of(), tls("rogue.p12", "rogue-pass"));
      AssertionError refused = assertThrows(AssertionError.class, () -> cluster.worker(0)
          .awaitLine(l -> l.equals("MEMBERS 3"), Duration.ofSeconds(15)));
      System.out.println("untrusted node kept out: " + refused.getMessage().lines().findFirst()
          .orElse(""));
      assertEquals(List.of(), cluster.worker(2).stdout().stream()
          .filter(l -> l.startsWith("UP ")).toList(), "the untrusted node never started");
      // ...because the TLS handshake fails, not because it is slow: the cluster's nodes log it.
      String handshakes = cluster.worker(0).stderr() + cluster.worker(1).stderr()
          + cluster.worker(2).stderr();
      System.out.println("TLS failures logged: " + handshakes.lines()
          .filter(l -> l.contains("SSL") || l.contains("certificate")).limit(3).toList());
      assertTrue(handshakes.contains("SSLHandshakeException")
          || handshakes.contains("certificate_unknown") || handshakes.contains("PKIX"),
          "a TLS handshake failure in the nodes' logs");
    }
  }

  private String tls(String keyStore, String password) {
    return """
        pekko.remote.artery.transport = tls-tcp
        pekko.remote.artery.ssl.config-ssl-engine {
          key-store = "%s"
          key-store-password = "%s"
          key-password = "%s"
          trust-store = "%s"
          trust-store-password = "trust-pass"
          require-mutual-authentication = on
        }
        """.formatted(dir.resolve(keyStore), password, password, dir.resolve("trust.p12"));
  }

  private void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + output);
  }
}
