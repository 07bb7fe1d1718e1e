package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog the nodes share: two lakehouses with their own directories, one PostgreSQL catalog
 * (a real one, embedded) and one warehouse, as two nodes of a cluster have. A table one creates
 * the other sees; their sinks commit to it at the same time and every row is there, read back
 * with Iceberg's reader from either side.
 */
class SharedCatalogTest {
  private static EmbeddedPostgres postgres;

  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    postgres.close();
  }

  private LakehouseSettings node(String name) {
    return LakehouseSettings.at(temp.resolve(name)).withSharedCatalog(
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres",
        "postgres", temp.resolve("shared-warehouse"));
  }

  @Test
  void twoNodesShareTablesAndCommitsThroughOneCatalog() throws Exception {
    LakehouseSettings a = node("node-a");
    LakehouseSettings b = node("node-b");
    try (Lakehouse lakeA = Lakehouse.open(a); Lakehouse lakeB = Lakehouse.open(b)) {
      lakeA.createTable("shop.events", TableDefinition.of(new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "node", Types.StringType.get()))));
      assertTrue(lakeB.tableExists("shop.events"), "the other node sees the new table");

      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<?>> writers = new ArrayList<>();
      int commits = 8;
      for (LakehouseSettings node : List.of(a, b)) {
        String name = node == a ? "a" : "b";
        writers.add(pool.submit(() -> {
          try (SinkDriver sink = new SinkDriver(IcebergSink.append(node, "shop.events",
              "sink-" + name))) {
            for (int c = 1; c <= commits; c++) {
              for (int i = 0; i < 10; i++) {
                sink.write(Row.insert(Map.of("id", (long) (c * 100 + i), "node", name)));
              }
              sink.checkpoint(c);
            }
          }
          return null;
        }));
      }
      for (Future<?> w : writers) {
        w.get();
      }
      pool.shutdown();

      for (Lakehouse side : List.of(lakeA, lakeB)) {
        List<Record> rows = side.read("shop.events");
        assertEquals(2 * commits * 10, rows.size(), "every row of both nodes' commits");
        Set<String> nodes = new TreeSet<>();
        rows.forEach(r -> nodes.add((String) r.getField("node")));
        assertEquals(Set.of("a", "b"), nodes);
      }
      assertEquals(2 * commits, lakeA.loadTable("shop.events").history().size(),
          "one snapshot per commit, none lost to the race");
    }
  }

  @Test
  void aCatalogThatIsNoJdbcUrlIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LakehouseSettings.at(temp).withSharedCatalog("postgres://db", "u", "p", temp));
    assertTrue(e.getMessage().contains("JDBC URL"), e.getMessage());
  }
}
