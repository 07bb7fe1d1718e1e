package io.weir.lakehouse.internal;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Adds columns a stream's rows carry to a table, as Flink CDC's schema evolution does: each new
 * column is optional, its Iceberg type taken from the Java type of its first value. Several
 * writers may add the same column at once: a lost race refreshes and adds what is still missing.
 */
final class SchemaEvolution {
  private static final int ATTEMPTS = 10;

  private SchemaEvolution() {}

  /**
   * Adds the columns of {@code values} that {@code table} lacks.
   *
   * @param values column name to a non-null value
   * @throws IllegalArgumentException naming the column, for a value whose type has no column type
   */
  static void addColumns(Table table, Map<String, Object> values) {
    for (int attempt = 1; ; attempt++) {
      table.refresh();
      UpdateSchema update = table.updateSchema();
      boolean any = false;
      for (Map.Entry<String, Object> e : values.entrySet()) {
        if (table.schema().findField(e.getKey()) == null) {
          update.addColumn(e.getKey(), typeOf(e.getKey(), e.getValue()));
          any = true;
        }
      }
      if (!any) {
        return;
      }
      try {
        update.commit();
        return;
      } catch (CommitFailedException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The column type for a value, as the row converter would store it. */
  static Type typeOf(String column, Object value) {
    if (value instanceof String || value instanceof Character || value instanceof Enum<?>) {
      return Types.StringType.get();
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return Types.IntegerType.get();
    } else if (value instanceof Long) {
      return Types.LongType.get();
    } else if (value instanceof Float) {
      return Types.FloatType.get();
    } else if (value instanceof Double) {
      return Types.DoubleType.get();
    } else if (value instanceof Boolean) {
      return Types.BooleanType.get();
    } else if (value instanceof BigDecimal d) {
      return Types.DecimalType.of(38, Math.max(0, d.scale()));
    } else if (value instanceof LocalDate) {
      return Types.DateType.get();
    } else if (value instanceof LocalTime) {
      return Types.TimeType.get();
    } else if (value instanceof LocalDateTime) {
      return Types.TimestampType.withoutZone();
    } else if (value instanceof Instant || value instanceof OffsetDateTime
        || value instanceof ZonedDateTime) {
      return Types.TimestampType.withZone();
    } else if (value instanceof UUID) {
      return Types.UUIDType.get();
    } else if (value instanceof byte[] || value instanceof ByteBuffer) {
      return Types.BinaryType.get();
    }
    throw new IllegalArgumentException("cannot add column '" + column + "' for a value of type "
        + value.getClass().getName() + ": give the table the column first");
  }
}
