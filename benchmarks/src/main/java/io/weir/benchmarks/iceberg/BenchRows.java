package io.weir.benchmarks.iceberg;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/**
 * The rows both sides write: row {@code i} has id {@code i}, a timestamp, a name of about 40
 * characters and an amount; the same on both sides, computed from the index alone.
 */
public final class BenchRows {
  /** The table's schema, unpartitioned. */
  public static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.required(2, "ts", Types.TimestampType.withoutZone()),
      Types.NestedField.optional(3, "name", Types.StringType.get()),
      Types.NestedField.optional(4, "amount", Types.DoubleType.get()));

  private static final LocalDateTime EPOCH = LocalDateTime.of(2026, 1, 1, 0, 0);

  private BenchRows() {}

  /** Row {@code i}'s timestamp. */
  static LocalDateTime ts(long i) {
    return EPOCH.plusNanos(i * 1_000_000L);
  }

  /** Row {@code i}'s name. */
  static String name(long i) {
    return "customer-" + (i * 2654435761L % 1_000_003) + "-order-" + i + "-bench";
  }

  /** Row {@code i}'s amount. */
  static double amount(long i) {
    return (i % 100_000) / 100.0;
  }

  /** Row {@code i} as values by column name (Weir's {@code Row}). */
  public static Map<String, Object> values(long i) {
    Map<String, Object> values = new HashMap<>(8);
    values.put("id", i);
    values.put("ts", ts(i));
    values.put("name", name(i));
    values.put("amount", amount(i));
    return values;
  }

  /** Row {@code i} as an Iceberg record (the peer's writers take Iceberg records). */
  public static Record record(GenericRecord template, long i) {
    GenericRecord r = template.copy();
    r.set(0, i);
    r.set(1, ts(i));
    r.set(2, name(i));
    r.set(3, amount(i));
    return r;
  }

  /** The sum of the ids of {@code n} rows: the checksum a table must hold. */
  public static long idSum(long n) {
    return n * (n - 1) / 2;
  }
}
