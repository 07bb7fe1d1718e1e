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
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Follows a stream's columns, as Flink CDC's schema evolution does: adds the columns rows carry
 * that the table lacks (each optional, its Iceberg type taken from the Java type of its first
 * value), and widens a column whose value it cannot hold exactly when Iceberg allows it (int to
 * long, float to double, a decimal's precision); other type changes are refused, naming the
 * column. Several writers may change the same column at once: a lost race refreshes and applies
 * what is still missing.
 */
final class SchemaEvolution {
  private static final int ATTEMPTS = 10;

  private SchemaEvolution() {}

  /**
   * Whether {@code values} need a change of {@code schema}: a column it lacks, or a value its
   * column cannot hold that a widening would.
   *
   * @throws IllegalArgumentException naming the column, for a value no allowed change would fit
   */
  static boolean needsChange(Schema schema, Map<String, Object> values) {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      Types.NestedField field = schema.findField(e.getKey());
      if (field == null || widening(field, e.getValue()) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Adds the columns of {@code values} that {@code table} lacks and widens the columns whose
   * value they cannot hold.
   *
   * @param values column name to a value; null values change nothing
   * @throws IllegalArgumentException naming the column, for a value whose type has no column
   *     type or that no allowed widening fits
   */
  static void evolve(Table table, Map<String, Object> values) {
    for (int attempt = 1; ; attempt++) {
      table.refresh();
      UpdateSchema update = table.updateSchema();
      boolean any = false;
      for (Map.Entry<String, Object> e : values.entrySet()) {
        if (e.getValue() == null) {
          continue;
        }
        Types.NestedField field = table.schema().findField(e.getKey());
        if (field == null) {
          update.addColumn(e.getKey(), typeOf(e.getKey(), e.getValue()));
          any = true;
        } else {
          Type.PrimitiveType wider = widening(field, e.getValue());
          if (wider != null) {
            update.updateColumn(e.getKey(), wider);
            any = true;
          }
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

  /**
   * The type a column must widen to so that it holds {@code value} exactly, or null when it
   * holds it already (or the row converter will say why not).
   *
   * @throws IllegalArgumentException when the value needs a change Iceberg does not allow
   */
  static Type.PrimitiveType widening(Types.NestedField field, Object value) {
    Type type = field.type();
    switch (type.typeId()) {
      case INTEGER, LONG -> {
        if (!(value instanceof Number n) || value instanceof Integer || value instanceof Long
            || value instanceof Short || value instanceof Byte) {
          if (type.typeId() == Type.TypeID.INTEGER && value instanceof Long l
              && (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)) {
            return Types.LongType.get();
          }
          return null;
        }
        if (n instanceof Double d && (d.isNaN() || d.isInfinite())
            || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
          throw refused(field, value, "double");
        }
        BigDecimal exact = new BigDecimal(n.toString());
        if (exact.stripTrailingZeros().scale() > 0) {
          throw refused(field, value, value instanceof BigDecimal d
              ? "decimal(" + Math.max(d.precision(), d.scale()) + ", " + d.scale() + ")"
              : "double");
        }
        int bits = exact.toBigInteger().bitLength();
        if (bits < 32 || type.typeId() == Type.TypeID.LONG && bits < 64) {
          return null;
        }
        if (bits < 64) {
          return Types.LongType.get();
        }
        throw refused(field, value, "a number beyond long");
      }
      case FLOAT -> {
        if (value instanceof Double d && !d.isNaN() && !d.isInfinite()
            && (double) d.floatValue() != d) {
          return Types.DoubleType.get();
        }
        if (value instanceof BigDecimal d && new BigDecimal(Float.toString(d.floatValue()))
            .compareTo(d) != 0) {
          return Types.DoubleType.get();
        }
        return null;
      }
      case DECIMAL -> {
        Types.DecimalType decimal = (Types.DecimalType) type;
        if (!(value instanceof Number) || value instanceof Double || value instanceof Float) {
          return null;
        }
        BigDecimal exact = new BigDecimal(value.toString());
        if (exact.stripTrailingZeros().scale() > decimal.scale()) {
          throw refused(field, value, "scale " + exact.stripTrailingZeros().scale()
              + " (a decimal's scale cannot change)");
        }
        int precision = exact.setScale(decimal.scale()).precision();
        if (precision <= decimal.precision()) {
          return null;
        }
        if (precision > 38) {
          throw refused(field, value, "precision " + precision + " (38 at most)");
        }
        return Types.DecimalType.of(precision, decimal.scale());
      }
      default -> {
        return null;
      }
    }
  }

  private static IllegalArgumentException refused(Types.NestedField field, Object value,
      String needs) {
    return new IllegalArgumentException("column '" + field.name() + "' (" + field.type()
        + ") cannot hold " + value.getClass().getSimpleName() + " " + value + ": it would need "
        + needs + ", and Iceberg only widens int to long, float to double and a decimal's"
        + " precision (not its scale); change the column or the value");
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
