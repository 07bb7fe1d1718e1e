package io.weir.lakehouse;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A row for an {@link IcebergSink}: column values by name, and what to do with them. Values
 * are converted to the table's column types when written: numbers to any numeric type;
 * dates, times and timestamps from {@code java.time} values, ISO-8601 strings or epoch numbers
 * (days for dates, milliseconds for timestamps). Rows cross exchanges as CBOR, so keep values
 * to strings, numbers, booleans and nulls when the job spans nodes.
 *
 * @param kind what to do; never null
 * @param values column values by name, never null; null values allowed for optional columns
 */
public record Row(Kind kind, Map<String, Object> values) {
  /** What a row does to the table. */
  public enum Kind {
    /** Appends (in upsert mode, the same as {@link #UPSERT}). */
    INSERT,
    /** Replaces the row with the same primary key, or inserts it (upsert mode only). */
    UPSERT,
    /** Deletes the row with the same primary key; only key columns are needed (upsert mode). */
    DELETE
  }

  /** Validates and copies (keeping null values). */
  public Row {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(values, "values");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** An insert. */
  public static Row insert(Map<String, Object> values) {
    return new Row(Kind.INSERT, values);
  }

  /** An upsert by primary key. */
  public static Row upsert(Map<String, Object> values) {
    return new Row(Kind.UPSERT, values);
  }

  /** A delete by primary key. */
  public static Row delete(Map<String, Object> key) {
    return new Row(Kind.DELETE, key);
  }
}
