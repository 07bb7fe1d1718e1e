package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partition evolution and explicit schema changes ({@link TableEvolution}), and the sink's
 * automatic widening: rows written through the sink before and after each change, read back
 * with Iceberg's reader; scans prune files by each file's own spec.
 */
class TableEvolutionTest {
  static final Schema EVENTS = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "ts", Types.TimestampType.withoutZone()),
      Types.NestedField.optional(3, "kind", Types.StringType.get()));

  @TempDir Path dir;

  private Lakehouse lake() {
    return Lakehouse.open(LakehouseSettings.at(dir));
  }

  private void append(String table, long checkpoint, List<Map<String, Object>> rows,
      boolean evolve) throws Exception {
    IcebergSink sink = IcebergSink.append(LakehouseSettings.at(dir), table, "s" + checkpoint);
    try (SinkDriver driver = new SinkDriver(evolve ? sink.withSchemaEvolution() : sink)) {
      for (Map<String, Object> row : rows) {
        driver.write(Row.insert(row));
      }
      driver.checkpoint(checkpoint);
    }
  }

  private static List<Map<String, Object>> events(int from, int to, int day) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(Map.of("id", (long) i, "ts", LocalDateTime.of(2026, 11, day, i % 24, 0),
          "kind", i % 2 == 0 ? "even" : "odd"));
    }
    return rows;
  }

  private static List<FileScanTask> plan(Table table, Expression filter) throws IOException {
    List<FileScanTask> out = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
      tasks.forEach(out::add);
    }
    return out;
  }

  @Test
  void oldFilesKeepTheirSpecNewWritesUseTheNewOneAndScansPruneByIt() throws Exception {
    try (Lakehouse lake = lake()) {
      lake.createTable("app.events", TableDefinition.of(EVENTS));
    }
    // unpartitioned: one file spanning days 1..3 (its metrics cannot exclude any day)
    List<Map<String, Object>> before = new ArrayList<>(events(0, 10, 1));
    before.addAll(events(10, 20, 3));
    append("app.events", 1, before, false);

    try (Lakehouse lake = lake()) {
      PartitionSpec spec = lake.evolve("app.events").addPartitionField("day(ts)");
      assertEquals(1, spec.specId());
      assertEquals("ts_day", spec.fields().get(0).name());
    }
    append("app.events", 2, events(100, 110, 1), false);
    append("app.events", 3, events(200, 210, 2), false);
    append("app.events", 4, events(300, 310, 3), false);

    try (Lakehouse lake = lake()) {
      Table table = lake.loadTable("app.events");
      assertEquals(50, lake.read("app.events").size());
      List<FileScanTask> all = plan(table, ScanFilter.parse("", table.schema()));
      assertEquals(4, all.size());
      assertEquals(1, all.stream().filter(t -> t.spec().specId() == 0).count());
      assertEquals(3, all.stream().filter(t -> t.spec().specId() == 1).count());

      // one day: the old file (no partition, metrics span it) and the new spec's one file
      Expression day3 = ScanFilter.parse("ts >= '2026-11-03T00:00:00'", table.schema());
      List<FileScanTask> pruned = plan(table, day3);
      assertEquals(2, pruned.size(), pruned.toString());
      assertEquals(1, pruned.stream().filter(t -> t.spec().specId() == 1).count());
      List<Long> ids = new ArrayList<>();
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).where(day3).build()) {
        rows.forEach(r -> ids.add((Long) r.getField("id")));
      }
      ids.sort(null);
      List<Long> expected = new ArrayList<>();
      for (long i = 10; i < 20; i++) {
        expected.add(i);
      }
      for (long i = 300; i < 310; i++) {
        expected.add(i);
      }
      assertEquals(expected, ids);

      // bucket as in the task's syntax, then removed again by name and by term
      PartitionSpec bucketed = lake.evolve("app.events").addPartitionField("bucket(id, 4)");
      assertEquals(List.of("ts_day", "id_bucket_4"),
          bucketed.fields().stream().map(f -> f.name()).toList());
      PartitionSpec without = lake.evolve("app.events").removePartitionField("id_bucket_4");
      assertEquals(1, without.fields().stream().filter(f -> !f.transform().isVoid()).count());
      lake.evolve("app.events").removePartitionField("day(ts)");
    }
    append("app.events", 5, events(400, 405, 4), false);
    try (Lakehouse lake = lake()) {
      assertEquals(55, lake.read("app.events").size());
      Table table = lake.loadTable("app.events");
      assertTrue(table.spec().fields().stream().allMatch(f -> f.transform().isVoid()),
          table.spec().toString());
    }
  }

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void badPartitionChangesAreClearErrors() {
    try (Lakehouse lake = lake()) {
      lake.createTable("app.events", TableDefinition.of(EVENTS));
      TableEvolution e = lake.evolve("app.events");
      assertTrue(message(() -> e.addPartitionField("day(nope)")).startsWith(
          "bad partition term 'day(nope)': unknown column 'nope' (columns: id, ts, kind)"));
      assertTrue(message(() -> e.addPartitionField("bucket(id)")).startsWith(
          "bad partition term 'bucket(id)': bucket needs a number, as in bucket(16, id)"));
      assertTrue(message(() -> e.addPartitionField("zorder(id)")).contains(
          "unknown transform 'zorder'"));
      assertTrue(message(() -> e.addPartitionField("id +")).startsWith(
          "bad partition term 'id +': expected a column"));
      String wrongType = message(() -> e.addPartitionField("day(kind)"));
      assertTrue(wrongType.startsWith("cannot partition app.events by 'day(kind)': "), wrongType);
      e.addPartitionField("kind");
      assertTrue(message(() -> e.addPartitionField("identity(kind)")).startsWith(
          "cannot partition app.events by 'identity(kind)': "));
      assertTrue(message(() -> e.removePartitionField("ts_day")).startsWith(
          "cannot remove partition field 'ts_day' of app.events (fields: kind (identity(kind)))"));

      // a primary key table: upserts' equality deletes reach only files of their own spec
      lake.createTable("app.keyed", TableDefinition.of(EVENTS).withPrimaryKey("id"));
      assertEquals("cannot change the partitioning of app.keyed: it has a primary key (id), and"
          + " an upsert's equality delete reaches only files of the partition spec it is"
          + " written in, so rows in files of the older spec would not be replaced; create a"
          + " new table with the partitioning and copy the rows",
          message(() -> lake.evolve("app.keyed").addPartitionField("bucket(4, id)")));
    } catch (IOException ex) {
      throw new RuntimeException(ex);
    }
  }

  @Test
  void renameDropAndWidenExplicitly() throws Exception {
    Schema schema = new Schema(
        Types.NestedField.required(1, "id", Types.IntegerType.get()),
        Types.NestedField.optional(2, "score", Types.FloatType.get()),
        Types.NestedField.optional(3, "price", Types.DecimalType.of(6, 2)),
        Types.NestedField.optional(4, "note", Types.StringType.get()),
        Types.NestedField.optional(5, "ts", Types.TimestampType.withoutZone()));
    try (Lakehouse lake = lake()) {
      lake.createTable("app.items", TableDefinition.of(schema).withPrimaryKey("id")
          .withPartitioning("day(ts)"));
    }
    append("app.items", 1, List.of(Map.of("id", 1, "score", 1.5f, "price", "12.34",
        "note", "old", "ts", "2026-11-24T10:00:00")), false);
    long before;
    try (Lakehouse lake = lake()) {
      before = lake.loadTable("app.items").currentSnapshot().snapshotId();
      TableEvolution e = lake.evolve("app.items");
      assertEquals(Types.LongType.get(), e.widenColumn("id", "long").findType("id"));
      assertEquals(Types.DoubleType.get(), e.widenColumn("score", "double").findType("score"));
      assertEquals(Types.DecimalType.of(12, 2),
          e.widenColumn("price", "decimal(12, 2)").findType("price"));
      Schema renamed = e.renameColumn("note", "comment");
      assertNull(renamed.findField("note"));
      assertEquals(4, renamed.findField("comment").fieldId());
      assertNull(e.dropColumn("score").findField("score"));

      // refusals name the column and the rule
      assertEquals("cannot change column 'id' of app.items from long to int: not a widening"
          + " (Iceberg widens int to long, float to double and decimal(P, S) to a greater P of"
          + " the same S; narrowing or changing the kind of type would misread old files)",
          message(() -> e.widenColumn("id", "int")));
      assertTrue(message(() -> e.widenColumn("comment", "long")).startsWith(
          "cannot change column 'comment' of app.items from string to long: not a widening"));
      assertTrue(message(() -> e.widenColumn("price", "decimal(14, 3)")).startsWith(
          "cannot change column 'price' of app.items from decimal(12, 2) to decimal(14, 3)"));
      assertEquals("column 'id' of app.items is long already", message(() -> e.widenColumn("id",
          "long")));
      assertTrue(message(() -> e.widenColumn("id", "huge")).startsWith(
          "cannot widen column 'id' of app.items: unknown type 'huge'"));
      assertTrue(message(() -> e.widenColumn("nope", "long")).startsWith(
          "table app.items has no column 'nope' (columns: id, price, comment, ts)"));
      assertTrue(message(() -> e.renameColumn("comment", "price")).startsWith(
          "cannot rename column 'comment' of app.items to 'price': that column exists"));
      assertEquals("cannot drop column 'id' of app.items: it is part of the primary key",
          message(() -> e.dropColumn("id")));
      assertTrue(message(() -> e.dropColumn("ts")).startsWith(
          "cannot drop column 'ts' of app.items: the partition field 'ts_day' uses it"));
    }
    // a new row with a long beyond int and a wider decimal; the old row reads widened
    append("app.items", 2, List.of(Map.of("id", 5_000_000_000L, "price", "1234567890.12",
        "comment", "new", "ts", "2026-11-24T11:00:00")), false);
    try (Lakehouse lake = lake()) {
      Map<Long, Record> rows = new HashMap<>();
      lake.read("app.items").forEach(r -> rows.put((Long) r.getField("id"), r));
      assertEquals(2, rows.size());
      assertEquals("old", rows.get(1L).getField("comment"));
      assertEquals(new BigDecimal("12.34"), rows.get(1L).getField("price"));
      assertEquals(new BigDecimal("1234567890.12"), rows.get(5_000_000_000L).getField("price"));
      // time travel reads a snapshot with its own schema: int id, the dropped column, old name
      Record old = lake.readAtSnapshot("app.items", before).get(0);
      assertEquals(1, old.getField("id"));
      assertEquals(1.5f, old.getField("score"));
      assertEquals("old", old.getField("note"));
    }
  }

  @Test
  void theSinkWidensColumnsItsValuesOutgrowAndRefusesUnsafeChanges() throws Exception {
    Schema schema = new Schema(
        Types.NestedField.required(1, "id", Types.IntegerType.get()),
        Types.NestedField.optional(2, "score", Types.FloatType.get()),
        Types.NestedField.optional(3, "price", Types.DecimalType.of(6, 2)));
    try (Lakehouse lake = lake()) {
      lake.createTable("app.auto", TableDefinition.of(schema));
    }
    append("app.auto", 1, List.of(Map.of("id", 1, "score", 0.5f, "price", new BigDecimal(
        "1.25"))), true);
    // values that fit change nothing
    append("app.auto", 2, List.of(Map.of("id", 2L, "score", 0.25d, "price", new BigDecimal(
        "9999.99"))), true);
    try (Lakehouse lake = lake()) {
      assertEquals(schema.asStruct(), lake.loadTable("app.auto").schema().asStruct());
    }
    append("app.auto", 3, List.of(Map.of("id", 3_000_000_000L, "score", 0.1d,
        "price", new BigDecimal("123456789.5"))), true);
    try (Lakehouse lake = lake()) {
      Schema now = lake.loadTable("app.auto").schema();
      assertEquals(Types.LongType.get(), now.findType("id"));
      assertEquals(Types.DoubleType.get(), now.findType("score"));
      assertEquals(Types.DecimalType.of(11, 2), now.findType("price"));
      Map<Long, Record> rows = new TreeMap<>();
      lake.read("app.auto").forEach(r -> rows.put((Long) r.getField("id"), r));
      assertEquals(List.of(1L, 2L, 3_000_000_000L), List.copyOf(rows.keySet()));
      assertEquals(0.5d, rows.get(1L).getField("score"));
      assertEquals(0.1d, rows.get(3_000_000_000L).getField("score"));
      assertEquals(new BigDecimal("123456789.50"), rows.get(3_000_000_000L).getField("price"));
    }
    IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
        () -> append("app.auto", 4, List.of(Map.of("id", 1.5d)), true));
    assertEquals("column 'id' (long) cannot hold Double 1.5: it would need double, and Iceberg"
        + " only widens int to long, float to double and a decimal's precision (not its scale);"
        + " change the column or the value", fraction.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> append("app.auto", 4,
        List.of(Map.of("id", Double.NaN)), true)).getMessage().startsWith(
            "column 'id' (long) cannot hold Double NaN: it would need double"));
    IllegalArgumentException scale = assertThrows(IllegalArgumentException.class,
        () -> append("app.auto", 4, List.of(Map.of("id", 4, "price", new BigDecimal("1.125"))),
            true));
    assertTrue(scale.getMessage().startsWith("column 'price' (decimal(11, 2)) cannot hold"
        + " BigDecimal 1.125: it would need scale 3 (a decimal's scale cannot change)"),
        scale.getMessage());
    // without evolution a fraction is not truncated into an integer column either
    IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
        () -> append("app.auto", 4, List.of(Map.of("id", 2.5d)), false));
    assertTrue(plain.getMessage().startsWith("column 'id' (long): cannot convert Double '2.5'"),
        plain.getMessage());
    try (Lakehouse lake = lake()) {
      assertEquals(3, lake.read("app.auto").size());
    }
  }
}
