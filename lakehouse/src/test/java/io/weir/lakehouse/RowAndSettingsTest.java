package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.ConfigFactory;
import io.weir.lakehouse.internal.RowConverter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** Rows across exchanges (CBOR), their conversion to column types, and the settings. */
class RowAndSettingsTest {
  static final Schema TYPES = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "n", Types.IntegerType.get()),
      Types.NestedField.optional(3, "day", Types.DateType.get()),
      Types.NestedField.optional(4, "at", Types.TimestampType.withoutZone()),
      Types.NestedField.optional(5, "atz", Types.TimestampType.withZone()),
      Types.NestedField.optional(6, "price", Types.DecimalType.of(10, 2)),
      Types.NestedField.optional(7, "ok", Types.BooleanType.get()));

  @Test
  void aRowSurvivesCborAndConvertsToTheColumnTypes() throws Exception {
    Map<String, Object> values = new HashMap<>();
    values.put("id", 7L);          // comes back as an Integer
    values.put("n", 3);
    values.put("day", "2026-03-01");
    values.put("at", 1_000L);      // epoch milliseconds
    values.put("atz", "2026-03-01T10:00:00Z");
    values.put("price", "12.50");
    values.put("ok", true);
    Row row = Row.upsert(values);
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    Row back = cbor.readValue(cbor.writeValueAsBytes(row), Row.class);
    assertEquals(Row.Kind.UPSERT, back.kind());

    Record record = new RowConverter(TYPES).convert(back.values(), false);
    assertEquals(7L, record.getField("id"));
    assertEquals(3, record.getField("n"));
    assertEquals(LocalDate.of(2026, 3, 1), record.getField("day"));
    assertEquals(LocalDateTime.of(1970, 1, 1, 0, 0, 1), record.getField("at"));
    assertEquals(OffsetDateTime.of(2026, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC),
        record.getField("atz"));
    assertEquals(new BigDecimal("12.50"), record.getField("price"));
    assertEquals(true, record.getField("ok"));
  }

  @Test
  void conversionErrorsNameTheColumn() {
    RowConverter converter = new RowConverter(TYPES);
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> converter.convert(Map.of("id", 1, "day", "yesterday"), false));
    assertTrue(bad.getMessage().contains("'day'"), bad.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> converter.convert(Map.of("n", 1), false));
    assertTrue(missing.getMessage().contains("'id'"), missing.getMessage());
  }

  @Test
  void settingsComeFromTheReferenceConfiguration() {
    LakehouseSettings settings = LakehouseSettings.fromConfig(ConfigFactory.parseString(
        "weir.lakehouse.directory = /tmp/lake").withFallback(ConfigFactory.load()));
    assertEquals(Path.of("/tmp/lake"), settings.directory());
    assertEquals(128L * 1024 * 1024, settings.targetFileSizeBytes());
    assertEquals(20, settings.commitRetries());
    assertEquals(Path.of("/tmp/lake/warehouse"), settings.warehouse());
    assertThrows(IllegalArgumentException.class,
        () -> new LakehouseSettings(Path.of("x"), "weir", 0, 1));
  }
}
