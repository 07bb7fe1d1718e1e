package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tables of the embedded lakehouse: create, append, read back, time travel, refs, evolution. */
class TableFeaturesTest {
  static final Schema EVENTS = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.required(2, "ts", Types.TimestampType.withoutZone()),
      Types.NestedField.optional(3, "name", Types.StringType.get()));

  @TempDir
  Path dir;

  static Map<String, Object> event(long id) {
    return Map.of("id", id, "ts", LocalDateTime.of(2026, 1, 1 + (int) (id % 3), 10, 0)
        .plusMinutes(id).toString(), "name", "n" + id);
  }

  static Set<Long> ids(Iterable<Record> rows) {
    Set<Long> ids = new HashSet<>();
    for (Record r : rows) {
      assertTrue(ids.add((Long) r.getField("id")), "duplicate id " + r);
    }
    return ids;
  }

  static Set<Long> range(long from, long to) {
    Set<Long> out = new HashSet<>();
    for (long i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void createAppendReadBackAndTravelInTime() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("db.events", TableDefinition.of(EVENTS)
          .withPartitioning("day(ts)", "bucket(4, id)"));
      assertEquals(2, table.spec().fields().size());
      assertEquals(List.of("db.events"), lakehouse.listTables());

      SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "db.events", "s"));
      for (long i = 0; i < 100; i++) {
        driver.write(Row.insert(event(i)));
      }
      driver.checkpoint(1);
      long first = lakehouse.loadTable("db.events").currentSnapshot().snapshotId();
      long afterFirst = System.currentTimeMillis();
      Thread.sleep(5);
      for (long i = 100; i < 250; i++) {
        driver.write(Row.insert(event(i)));
      }
      driver.checkpoint(2);
      driver.close();

      Table reloaded = lakehouse.loadTable("db.events");
      try (CloseableIterable<Record> rows = IcebergGenerics.read(reloaded).build()) {
        assertEquals(range(0, 250), ids(rows));
      }
      // Hidden partitioning: 3 days x up to 4 buckets, files per partition.
      assertTrue(reloaded.currentSnapshot().addedDataFiles(reloaded.io())
          .iterator().hasNext());
      assertEquals(range(0, 100), ids(lakehouse.readAtSnapshot("db.events", first)));
      assertEquals(range(0, 100), ids(lakehouse.readAsOf("db.events", afterFirst)));
      assertEquals(2, reloaded.history().size());
      assertEquals("2", reloaded.currentSnapshot().summary().get("weir.checkpoint-id"));
      assertEquals("test-job/s", reloaded.currentSnapshot().summary().get("weir.job-id"));

      lakehouse.createTag("db.events", "v1", first);
      lakehouse.createBranch("db.events", "audit", first);
      assertEquals(range(0, 100), ids(lakehouse.readRef("db.events", "v1")));
      assertEquals(range(0, 100), ids(lakehouse.readRef("db.events", "audit")));

      lakehouse.rollbackTo("db.events", first);
      assertEquals(range(0, 100), ids(lakehouse.read("db.events")));
    }
  }

  @Test
  void schemaEvolutionKeepsOldRowsReadable() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      lakehouse.createTable("events", TableDefinition.of(EVENTS));
      SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"));
      driver.write(Row.insert(event(1)));
      driver.checkpoint(1);
      driver.close();

      lakehouse.loadTable("events").updateSchema()
          .addColumn("score", Types.DoubleType.get()).commit();
      SinkDriver after = new SinkDriver(IcebergSink.append(settings, "events", "s"));
      Map<String, Object> withScore = new java.util.HashMap<>(event(2));
      withScore.put("score", 2.5);
      after.write(Row.insert(withScore));
      after.checkpoint(1);
      after.close();

      List<Record> rows = new ArrayList<>(lakehouse.read("events"));
      rows.sort(java.util.Comparator.comparing(r -> (Long) r.getField("id")));
      assertEquals(2, rows.size());
      assertNull(rows.get(0).getField("score"));
      assertEquals(2.5, rows.get(1).getField("score"));
    }
  }

  @Test
  void badDefinitionsAndRowsFailWithClearMessages() throws Exception {
    assertThrows(IllegalArgumentException.class,
        () -> TableDefinition.of(EVENTS).withPartitioning("bucket(id)"));
    assertThrows(IllegalArgumentException.class,
        () -> TableDefinition.of(EVENTS).withPrimaryKey("name")); // optional column
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      lakehouse.createTable("events", TableDefinition.of(EVENTS));
      SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"));
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> driver.write(Row.insert(Map.of("id", 1, "ts", "2026-01-01T00:00", "x", 1))));
      assertTrue(unknown.getMessage().contains("'x'"), unknown.getMessage());
      IllegalArgumentException upsert = assertThrows(IllegalArgumentException.class,
          () -> driver.write(Row.upsert(event(1))));
      assertTrue(upsert.getMessage().contains("append-mode"), upsert.getMessage());
      driver.close();
      assertThrows(IllegalArgumentException.class,
          () -> new SinkDriver(IcebergSink.upsert(settings, "events", "s")));
    }
  }
}
