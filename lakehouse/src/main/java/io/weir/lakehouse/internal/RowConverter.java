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
  /** Each column's position, by name: one look-up per value. */
  private final Map<String, Integer> positions = new java.util.HashMap<>();
  /** The positions of the required columns, checked once the values are set. */
  private final int[] required;
  /** Copied per row: a copy shares the name index that {@code create} looks up in a cache. */
  private final GenericRecord template;

  /** A converter into records of {@code schema}. */
  public RowConverter(Schema schema) {
    this.schema = schema;
    this.columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      positions.put(columns.get(i).name(), i);
    }
    this.required = java.util.stream.IntStream.range(0, columns.size())
        .filter(i -> columns.get(i).isRequired()).toArray();
    this.template = GenericRecord.create(schema);
  }

  /**
   * Converts. With {@code partial}, missing required columns are allowed (delete keys).
   *
   * @throws IllegalArgumentException naming the column for an unknown column, a missing
   *     required value or a value that does not convert
   */
  public Record convert(Map<String, Object> values, boolean partial) {
    GenericRecord record = template.copy();
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      Integer position = positions.get(entry.getKey());
      if (position == null) {
        throw new IllegalArgumentException("unknown column '" + entry.getKey() + "' for "
            + schema.asStruct());
      }
      Object value = entry.getValue();
      if (value != null) {
        Types.NestedField field = columns.get(position);
        try {
          record.set(position, convert(field.type(), value));
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("column '" + field.name() + "' (" + field.type()
              + "): cannot convert " + value.getClass().getSimpleName() + " '" + value + "': "
              + e.getMessage(), e);
        }
      }
    }
    if (!partial) {
      for (int position : required) {
        if (record.get(position) == null) {
          throw new IllegalArgumentException("required column '"
              + columns.get(position).name() + "' has no value in " + values);
        }
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
