package io.weir.lakehouse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * What a new table looks like: columns, hidden partitioning, primary key and format version.
 * Immutable; the {@code with...} methods return new instances.
 *
 * <p>Partition fields are written as in SQL: {@code id} or {@code identity(id)},
 * {@code bucket(16, id)}, {@code truncate(4, name)}, {@code year(ts)}, {@code month(ts)},
 * {@code day(ts)}, {@code hour(ts)}.
 *
 * @param schema the columns, never null; primary key columns must be required
 * @param partitioning partition fields in order, never null, may be empty
 * @param primaryKey the identifier columns (needed for upserts), never null, may be empty
 * @param formatVersion Iceberg format version, 1 to 3 (upserts need 2 or more)
 * @param properties extra table properties, never null
 */
public record TableDefinition(Schema schema, List<String> partitioning, List<String> primaryKey,
    int formatVersion, Map<String, String> properties) {
  private static final Pattern TRANSFORM =
      Pattern.compile("\\s*(\\w+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([\\w.]+)\\s*\\)\\s*");

  /** Validates and copies. */
  public TableDefinition {
    Objects.requireNonNull(schema, "schema");
    partitioning = List.copyOf(partitioning);
    primaryKey = List.copyOf(primaryKey);
    properties = Map.copyOf(properties);
    if (formatVersion < 1 || formatVersion > 3) {
      throw new IllegalArgumentException("format version must be 1, 2 or 3: " + formatVersion);
    }
    for (String column : primaryKey) {
      Types.NestedField field = schema.findField(column);
      if (field == null) {
        throw new IllegalArgumentException("primary key column '" + column + "' is not in "
            + schema.asStruct());
      }
      if (field.isOptional()) {
        throw new IllegalArgumentException("primary key column '" + column
            + "' must be required");
      }
    }
  }

  /** An unpartitioned format-2 table without a primary key. */
  public static TableDefinition of(Schema schema) {
    return new TableDefinition(schema, List.of(), List.of(), 2, Map.of());
  }

  /** The same table, partitioned by these fields (see the class comment). */
  public TableDefinition withPartitioning(String... fields) {
    TableDefinition next = new TableDefinition(schema, List.of(fields), primaryKey,
        formatVersion, properties);
    next.partitionSpec(); // fails early on a bad field
    return next;
  }

  /** The same table with these identifier columns. */
  public TableDefinition withPrimaryKey(String... columns) {
    return new TableDefinition(schema, partitioning, List.of(columns), formatVersion, properties);
  }

  /** The same table in another format version. */
  public TableDefinition withFormatVersion(int version) {
    return new TableDefinition(schema, partitioning, primaryKey, version, properties);
  }

  /** The same table with one more property. */
  public TableDefinition withProperty(String key, String value) {
    Map<String, String> next = new HashMap<>(properties);
    next.put(key, value);
    return new TableDefinition(schema, partitioning, primaryKey, formatVersion, next);
  }

  /** The schema with the primary key as identifier fields. */
  public Schema schemaWithKey() {
    if (primaryKey.isEmpty()) {
      return schema;
    }
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    for (String column : primaryKey) {
      ids.add(schema.findField(column).fieldId());
    }
    return new Schema(schema.columns(), ids);
  }

  /**
   * The Iceberg partition spec.
   *
   * @throws IllegalArgumentException naming a field that cannot be parsed or applied
   */
  public PartitionSpec partitionSpec() {
    Schema withKey = schemaWithKey();
    PartitionSpec.Builder builder = PartitionSpec.builderFor(withKey);
    for (String field : partitioning) {
      try {
        Matcher m = TRANSFORM.matcher(field);
        if (!m.matches()) {
          builder.identity(field.trim());
          continue;
        }
        String transform = m.group(1).toLowerCase(java.util.Locale.ROOT);
        String column = m.group(3);
        Integer width = m.group(2) == null ? null : Integer.parseInt(m.group(2));
        switch (transform) {
          case "identity" -> builder.identity(column);
          case "bucket" -> builder.bucket(column, requireWidth(field, width));
          case "truncate" -> builder.truncate(column, requireWidth(field, width));
          case "year", "years" -> builder.year(column);
          case "month", "months" -> builder.month(column);
          case "day", "days" -> builder.day(column);
          case "hour", "hours" -> builder.hour(column);
          default -> throw new IllegalArgumentException("unknown transform '" + transform + "'");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad partition field '" + field + "': "
            + e.getMessage(), e);
      }
    }
    return builder.build();
  }

  private static int requireWidth(String field, Integer width) {
    if (width == null) {
      throw new IllegalArgumentException("'" + field + "' needs a width: bucket(16, id)");
    }
    return width;
  }
}
