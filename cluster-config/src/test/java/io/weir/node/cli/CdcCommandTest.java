package io.weir.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weir cdc postgres} end to end: a table's rows land in its topic, keyed, as JSON. */
class CdcCommandTest {
  private static EmbeddedPostgres postgres;
  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical")
        .setServerConfig("max_replication_slots", "4").setServerConfig("max_wal_senders", "4")
        .start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
      s.execute("INSERT INTO customers VALUES (1, 'ada'), (2, 'grace'), (3, 'edsger')");
      s.execute("CREATE TABLE readings (id int PRIMARY KEY, v int)");
      s.execute("INSERT INTO readings SELECT g, g FROM generate_series(1, 20000) g");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void aSnapshotOfATableLandsInItsTopic() throws Exception {
    String dir = temp.resolve("data").toString();
    String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    Run cdc = run("cdc", "postgres", "--url", url, "--password", "postgres",
        "--tables", "customers", "--snapshot-mode", "initial_only", "--key", "customers:id",
        "--data-dir", dir);
    assertEquals(0, cdc.exitCode(), cdc.out() + cdc.err());
    assertTrue(cdc.out().contains("Created topic cdc.public.customers."), cdc.out());
    assertTrue(cdc.out().contains("Snapshot: 1/1 tables, 3 rows in 1 chunks"
        + " (public.customers 3 rows/1 chunks)"), cdc.out());
    try (WeirNode node = WeirNode.start(Path.of(dir))) {
      List<String> lines = node.weir().log()
          .source("cdc.public.customers", StartPosition.earliest())
          .take(3).takeWithin(Duration.ofSeconds(30))
          .map(r -> r.keyString() + "\t" + r.valueString())
          .runWith(Sink.seq(), node.system()).toCompletableFuture().get(60, TimeUnit.SECONDS)
          .stream().sorted().toList();
      assertEquals(3, lines.size(), cdc.out());
      assertTrue(lines.get(0).startsWith("id=1\t") && lines.get(0).contains("\"name\":\"ada\"")
          && lines.get(0).contains("\"op\":\"r\""), lines.get(0));
    }
  }

  @Test
  void aBadSnapshotModeIsABadUsage() {
    Run bad = run("cdc", "postgres", "--url", "jdbc:postgresql://localhost:1/x", "--tables",
        "t", "--snapshot-mode", "sometimes", "--data-dir", temp.resolve("bad").toString());
    assertEquals(2, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("--snapshot-mode must be"), bad.err());
  }

  @Test
  void theSnapshotsProgressIsShownWhileItRuns() {
    String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    Run cdc = run("cdc", "postgres", "--url", url, "--password", "postgres", "--slot", "prog",
        "--tables", "readings", "--snapshot-mode", "initial_only", "--snapshot-chunk-size",
        "500", "--data-dir", temp.resolve("progress").toString());
    assertEquals(0, cdc.exitCode(), cdc.out() + cdc.err());
    List<String> lines = cdc.out().lines().filter(l -> l.startsWith("Snapshot: ")).toList();
    assertEquals("Snapshot: 1/1 tables, 20000 rows in 40 chunks"
        + " (public.readings 20000 rows/40 chunks)", lines.get(lines.size() - 1), cdc.out());
    assertTrue(lines.stream().anyMatch(l -> l.endsWith(", running")),
        "progress while it ran: " + cdc.out());
  }
}
