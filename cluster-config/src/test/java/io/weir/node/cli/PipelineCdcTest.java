package io.weir.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.node.WeirNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A PostgreSQL CDC pipeline into an Iceberg table: the table is created with the columns read
 * from the database (projected), and the snapshot's rows that pass the filter land in it.
 */
class PipelineCdcTest {
  private static EmbeddedPostgres postgres;
  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("wal_level", "logical")
        .setServerConfig("max_replication_slots", "4").setServerConfig("max_wal_senders", "4")
        .start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id int PRIMARY KEY, customer text, total numeric(10,2),"
          + " note text)");
      s.execute("INSERT INTO orders VALUES (1, 'ada', 150.50, 'x'), (2, 'grace', 20, 'y'),"
          + " (3, 'edsger', 300, NULL), (4, 'barbara', 99.99, 'z')");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  @Test
  void aSnapshotOfATableIsFilteredProjectedAndUpsertedIntoIceberg() throws Exception {
    String dir = temp.resolve("data").toString();
    Path file = temp.resolve("orders-to-lake.yaml");
    Files.writeString(file, """
        pipeline: { name: orders-to-lake, checkpoint-interval: 1s }
        source:
          type: postgres
          hostname: localhost
          port: %d
          database: postgres
          username: postgres
          password: postgres
          tables: [public.orders]
          slot: pipeline_test
          snapshot-mode: initial_only
        transform:
          - source-table: public.orders
            projection: id, customer, total
            filter: total > 100
        route:
          - source-table: public.*
            sink-table: lake.${table}
        sink:
          type: iceberg
          mode: upsert
          primary-key: [id]
        """.formatted(postgres.getPort()));
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute("pipeline", "run", file.toString(), "--data-dir", dir);
    assertEquals(0, exit, out + "\n" + err);
    assertTrue(out.toString().contains("Created table lake.orders."), out.toString());

    try (Lakehouse lake = Lakehouse.open(LakehouseSettings.at(Path.of(dir, "lakehouse")))) {
      assertEquals(List.of("id", "customer", "total"), lake.loadTable("lake.orders").schema()
          .columns().stream().map(Types.NestedField::name).toList());
      assertEquals(Types.IntegerType.get(),
          lake.loadTable("lake.orders").schema().findType("id"));
      Map<Integer, String> rows = new TreeMap<>();
      for (Record r : lake.read("lake.orders")) {
        rows.put((Integer) r.getField("id"), r.getField("customer") + " " + r.getField("total"));
      }
      assertEquals(Map.of(1, "ada 150.5", 3, "edsger 300.0"), rows);
    }
  }

  /** The rows of a table: id to "customer total". */
  private static Map<Integer, String> rows(Lakehouse lake, String table) {
    Map<Integer, String> rows = new TreeMap<>();
    for (Record r : lake.read(table)) {
      rows.put((Integer) r.getField("id"), r.getField("customer") + " " + r.getField("total"));
    }
    return rows;
  }

  @Test
  void changesAfterTheSnapshotUpdateAndDeleteRowsOfTheTable() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE accounts (id int PRIMARY KEY, customer text, total bigint)");
      s.execute("INSERT INTO accounts VALUES (1, 'ada', 10), (2, 'grace', 20)");
    }
    String dir = temp.resolve("stream").toString();
    Path file = temp.resolve("accounts.yaml");
    Files.writeString(file, """
        pipeline: { checkpoint-interval: 300ms }
        source:
          type: postgres
          port: %d
          database: postgres
          password: postgres
          tables: accounts
          slot: pipeline_stream
        route:
          - { source-table: public.accounts, sink-table: lake.accounts }
        sink: { type: iceberg, mode: upsert, primary-key: id, schema-evolution: true }
        """.formatted(postgres.getPort()));
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertEquals(0, cli.execute("pipeline", "run", file.toString(), "--detach", "--data-dir",
        dir), out + "\n" + err);

    try (WeirNode node = WeirNode.start(Path.of(dir));  // resumes the pipeline's job
        Lakehouse lake = Lakehouse.open(LakehouseSettings.at(Path.of(dir, "lakehouse")))) {
      await(lake, Map.of(1, "ada 10", 2, "grace 20"));
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("UPDATE accounts SET total = 11 WHERE id = 1");
        s.execute("DELETE FROM accounts WHERE id = 2");
        s.execute("INSERT INTO accounts VALUES (3, 'edsger', 30)");
      }
      await(lake, Map.of(1, "ada 11", 3, "edsger 30"));

      // The source table gains a column: with schema-evolution, so does the Iceberg table.
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("ALTER TABLE accounts ADD COLUMN tier text");
        s.execute("UPDATE accounts SET tier = 'gold' WHERE id = 3");
      }
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      Object tier = null;
      while (System.nanoTime() < deadline && !"gold".equals(tier)) {
        Thread.sleep(200);
        lake.loadTable("lake.accounts").refresh();
        for (var r : lake.read("lake.accounts")) {
          if (Integer.valueOf(3).equals(r.getField("id")) && r.struct().field("tier") != null) {
            tier = r.getField("tier");
          }
        }
      }
      assertEquals("gold", tier, "the added column reached the table");
      assertEquals(Map.of(1, "ada 11", 3, "edsger 30"), rows(lake, "lake.accounts"));
    }
  }

  private static void await(Lakehouse lake, Map<Integer, String> expected) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    Map<Integer, String> seen = Map.of();
    while (System.nanoTime() < deadline) {
      if (lake.tableExists("lake.accounts")) {
        lake.loadTable("lake.accounts").refresh();
        seen = rows(lake, "lake.accounts");
        if (seen.equals(expected)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    assertEquals(expected, seen);
  }
}
