package io.weir.lakehouse.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Converts column values by name into an Iceberg record of a schema (top-level primitive
 * columns; nested values pass through unchanged). Not thread-safe: reuses nothing, but keep one
 * per writer.
 */
public final class RowConverter {
  private final Schema schema;
  private final java.util.List<Types.NestedField> columns;
  private final java.util.Set<String> names = new java.util.HashSet<>();
  /** Copied per row: a copy shares the name index that {@code create} looks up in a cache. */
  private final GenericRecord template;

  /** A converter into records of {@code schema}. */
  public RowConverter(Schema schema) {
    this.schema = schema;
    this.columns = schema.columns();
    columns.forEach(c -> names.add(c.name()));
    this.template = GenericRecord.create(schema);
  }

  /**
   * Converts. With {@code partial}, missing required columns are allowed (delete keys).
   *
   * @throws IllegalArgumentException naming the column for an unknown column, a missing
   *     required value or a value that does not convert
   */
  public Record convert(Map<String, Object> values, boolean partial) {
    for (String name : values.keySet()) {
      if (!names.contains(name)) {
        throw new IllegalArgumentException("unknown column '" + name + "' for "
            + schema.asStruct());
      }
    }
    GenericRecord record = template.copy();
    for (int i = 0; i < columns.size(); i++) {
      Types.NestedField field = columns.get(i);
      Object value = values.get(field.name());
      if (value == null) {
        if (field.isRequired() && !partial) {
          throw new IllegalArgumentException("required column '" + field.name()
              + "' has no value in " + values);
        }
        continue;
      }
      try {
        record.set(i, convert(field.type(), value));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("column '" + field.name() + "' (" + field.type()
            + "): cannot convert " + value.getClass().getSimpleName() + " '" + value + "': "
            + e.getMessage(), e);
      }
    }
    return record;
  }

  static Object convert(Type type, Object value) {
    return switch (type.typeId()) {
      case BOOLEAN -> value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString());
      // a fraction or a number beyond the type fails (ArithmeticException): never truncated
      case INTEGER -> value instanceof Integer || value instanceof Short || value instanceof Byte
          ? ((Number) value).intValue()
          : value instanceof Number n ? new BigDecimal(n.toString()).intValueExact()
          : Integer.parseInt(value.toString());
      case LONG -> value instanceof Long || value instanceof Integer || value instanceof Short
          || value instanceof Byte ? ((Number) value).longValue()
          : value instanceof Number n ? new BigDecimal(n.toString()).longValueExact()
          : Long.parseLong(value.toString());
      case FLOAT -> value instanceof Number n ? n.floatValue()
          : Float.parseFloat(value.toString());
      case DOUBLE -> value instanceof Number n ? n.doubleValue()
          : Double.parseDouble(value.toString());
      case STRING -> value.toString();
      case DECIMAL -> new BigDecimal(value.toString())
          .setScale(((Types.DecimalType) type).scale(), RoundingMode.UNNECESSARY);
      case DATE -> value instanceof LocalDate d ? d
          : value instanceof Number n ? LocalDate.ofEpochDay(n.longValue())
          : LocalDate.parse(value.toString());
      case TIME -> value instanceof LocalTime t ? t : LocalTime.parse(value.toString());
      case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
          ? toInstant(value).atOffset(ZoneOffset.UTC)
          : value instanceof LocalDateTime t ? t
          : value instanceof String s && !s.endsWith("Z") && !s.contains("+")
              ? LocalDateTime.parse(s)
              : LocalDateTime.ofInstant(toInstant(value), ZoneOffset.UTC);
      case UUID -> value instanceof UUID u ? u : UUID.fromString(value.toString());
      case BINARY -> value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
      default -> value;
    };
  }

  private static Instant toInstant(Object value) {
    if (value instanceof Instant i) {
      return i;
    } else if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    } else if (value instanceof ZonedDateTime z) {
      return z.toInstant();
    } else if (value instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    } else if (value instanceof Number n) {
      return Instant.ofEpochMilli(n.longValue());
    }
    String s = value.toString();
    return s.endsWith("Z") || s.contains("+") ? OffsetDateTime.parse(s).toInstant()
        : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
  }
}
