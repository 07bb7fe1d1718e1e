package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink with schema evolution follows its rows' columns, as a CDC mirror must when the source
 * table gains one: the table gains the column (typed from the value), older rows read it as
 * null, upserts of old keys fill it, and two writers adding the same column both go on. Without
 * evolution such a row fails, naming the column. Read back with Iceberg's reader.
 */
class SchemaEvolutionTest {
  @TempDir Path dir;

  private Lakehouse lake() {
    return Lakehouse.open(LakehouseSettings.at(dir));
  }

  private static Map<String, Object> row(Object... pairs) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put((String) pairs[i], pairs[i + 1]);
    }
    return values;
  }

  @Test
  void anUpsertSinkAddsTheColumnsItsRowsBring() throws Exception {
    try (Lakehouse lake = lake()) {
      lake.createTable("crm.customers", TableDefinition.of(new Schema(
          Types.NestedField.required(1, "id", Types.IntegerType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get())))
          .withPrimaryKey("id"));
    }
    IcebergSink sink = IcebergSink.upsert(LakehouseSettings.at(dir), "crm.customers", "mirror")
        .withSchemaEvolution();
    Instant since = Instant.parse("2026-11-24T10:15:30Z");
    try (SinkDriver one = new SinkDriver(sink, 0); SinkDriver two = new SinkDriver(sink, 1)) {
      one.write(Row.upsert(row("id", 1, "name", "Ada")));
      one.write(Row.upsert(row("id", 2, "name", "Bo")));
      one.checkpoint(1);
      // Key 5 written before the change and again after, in one checkpoint: one row.
      one.write(Row.upsert(row("id", 5, "name", "Ed")));
      // The source gained columns: both writers meet them, in one checkpoint.
      one.write(Row.upsert(row("id", 5, "name", "Ed", "tier", "free")));
      one.write(Row.upsert(row("id", 3, "name", "Cy", "tier", "pro",
          "balance", new BigDecimal("12.50"))));
      two.write(Row.upsert(row("id", 1, "name", "Ada", "tier", "team", "since", since)));
      one.write(Row.upsert(row("id", 4, "name", "Di", "tier", null)));
      one.checkpoint(2);
      two.checkpoint(2);
    }
    try (Lakehouse lake = lake()) {
      Schema schema = lake.loadTable("crm.customers").schema();
      assertEquals(Types.StringType.get(), schema.findType("tier"));
      assertEquals(Types.DecimalType.of(38, 2), schema.findType("balance"));
      assertEquals(Types.TimestampType.withZone(), schema.findType("since"));
      assertTrue(schema.findField("tier").isOptional());
      Map<Integer, Record> rows = new HashMap<>();
      for (Record r : lake.read("crm.customers")) {
        rows.put((Integer) r.getField("id"), r);
      }
      List<Record> all = lake.read("crm.customers");
      assertEquals(5, all.size(), "one row per key: " + all);
      assertEquals(5, rows.size(), rows.toString());
      assertEquals("free", rows.get(5).getField("tier"));
      assertEquals("team", rows.get(1).getField("tier"));
      assertEquals(since, ((java.time.OffsetDateTime) rows.get(1).getField("since")).toInstant());
      assertNull(rows.get(2).getField("tier"), "a row written before reads the column as null");
      assertEquals(new BigDecimal("12.50"), rows.get(3).getField("balance"));
      assertNull(rows.get(4).getField("tier"));
    }
  }

  @Test
  void withoutEvolutionANewColumnFailsNamingIt() throws Exception {
    try (Lakehouse lake = lake()) {
      lake.createTable("crm.plain", TableDefinition.of(new Schema(
          Types.NestedField.required(1, "id", Types.IntegerType.get()))));
    }
    try (SinkDriver sink = new SinkDriver(IcebergSink.append(LakehouseSettings.at(dir),
        "crm.plain", "plain"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> sink.write(Row.insert(row("id", 1, "tier", "pro"))));
      assertTrue(e.getMessage().contains("unknown column 'tier'"), e.getMessage());
    }
  }

  @Test
  void aValueWithoutAColumnTypeFailsNamingTheColumn() throws Exception {
    try (Lakehouse lake = lake()) {
      lake.createTable("crm.odd", TableDefinition.of(new Schema(
          Types.NestedField.required(1, "id", Types.IntegerType.get()))));
    }
    try (SinkDriver sink = new SinkDriver(IcebergSink.append(LakehouseSettings.at(dir),
        "crm.odd", "odd").withSchemaEvolution())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> sink.write(Row.insert(row("id", 1, "tags", List.of("a")))));
      assertTrue(e.getMessage().contains("cannot add column 'tags'"), e.getMessage());
    }
  }
}
