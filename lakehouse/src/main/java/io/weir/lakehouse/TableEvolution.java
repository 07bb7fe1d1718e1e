package io.weir.lakehouse;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Explicit changes of a table's partitioning and schema (from {@link Lakehouse#evolve}), each
 * one Iceberg commit of metadata only: no data file is rewritten.
 *
 * <ul>
 *   <li><b>Partition evolution</b> ({@code UpdatePartitionSpec}): files written before keep the
 *       spec they were written with; writers opened afterwards (a sink's writers when its job
 *       starts or restarts) write the new one. Scans prune each file by its own spec.
 *   <li><b>Schema evolution</b> ({@code UpdateSchema}): renaming and dropping a column (columns
 *       are tracked by id, so old files read correctly), and widening a column's type where
 *       Iceberg allows it: int to long, float to double, decimal(P, S) to decimal(P2, S) with
 *       P2 greater than P.
 * </ul>
 *
 * <p>Every method loads the table afresh, blocks on the catalog, and throws
 * {@link IllegalArgumentException} with a message naming the table and what was wrong (an
 * unknown column, a bad transform, a refused type change). Thread-safe.
 */
public final class TableEvolution {
  private static final Pattern TRANSFORM = Pattern.compile(
      "\\s*(\\w+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([\\w.]+)\\s*(?:,\\s*(\\d+)\\s*)?\\)\\s*");

  private final Lakehouse lakehouse;
  private final String name;

  TableEvolution(Lakehouse lakehouse, String name) {
    this.lakehouse = lakehouse;
    this.name = name;
  }

  /**
   * Adds a partition field.
   *
   * @param term {@code column} or {@code identity(column)}, {@code bucket(16, column)} (or
   *     {@code bucket(column, 16)}), {@code truncate(4, column)}, {@code year(column)},
   *     {@code month(column)}, {@code day(column)}, {@code hour(column)}
   * @return the table's new partition spec
   * @throws IllegalArgumentException for a term that does not parse, an unknown column, a
   *     transform the column's type does not take, a field the spec has already, or a table
   *     with a primary key (see the class comment)
   */
  public PartitionSpec addPartitionField(String term) {
    Table table = lakehouse.loadTable(name);
    requireNoPrimaryKey(table);
    Term parsed = parseTerm(term, table.schema());
    try {
      table.updateSpec().addField(parsed).commit();
    } catch (IllegalArgumentException | ValidationException e) {
      throw new IllegalArgumentException("cannot partition " + display(table) + " by '"
          + term.trim() + "': " + e.getMessage(), e);
    }
    return lakehouse.loadTable(name).spec();
  }

  /**
   * Removes a partition field from the spec new files are written with.
   *
   * @param field the partition field's name (as {@code describe} shows it, e.g.
   *     {@code id_bucket}) or the term it was added with ({@code bucket(16, id)})
   * @return the table's new partition spec
   * @throws IllegalArgumentException when the spec has no such field, or the table has a
   *     primary key
   */
  public PartitionSpec removePartitionField(String field) {
    Table table = lakehouse.loadTable(name);
    requireNoPrimaryKey(table);
    String trimmed = field.trim();
    boolean byName = table.spec().fields().stream().anyMatch(f -> f.name().equals(trimmed));
    try {
      if (byName) {
        table.updateSpec().removeField(trimmed).commit();
      } else {
        table.updateSpec().removeField(parseTerm(trimmed, table.schema())).commit();
      }
    } catch (IllegalArgumentException | ValidationException e) {
      throw new IllegalArgumentException("cannot remove partition field '" + trimmed + "' of "
          + display(table) + " (fields: " + describe(table.spec()) + "): " + e.getMessage(), e);
    }
    return lakehouse.loadTable(name).spec();
  }

  /**
   * Renames a column; data files are untouched (columns are tracked by id).
   *
   * @return the new schema
   * @throws IllegalArgumentException for an unknown column or a name in use
   */
  public Schema renameColumn(String from, String to) {
    Table table = lakehouse.loadTable(name);
    requireColumn(table, from);
    if (to == null || to.isBlank()) {
      throw new IllegalArgumentException("cannot rename column '" + from + "' of "
          + display(table) + ": the new name is blank");
    }
    if (table.schema().findField(to) != null) {
      throw new IllegalArgumentException("cannot rename column '" + from + "' of "
          + display(table) + " to '" + to + "': that column exists");
    }
    return commit(table, "rename column '" + from + "'",
        () -> table.updateSchema().renameColumn(from, to).commit());
  }

  /**
   * Drops a column; its values stay in old files (time travel still reads them) and new files
   * lack it.
   *
   * @return the new schema
   * @throws IllegalArgumentException for an unknown column, a primary key column, or one the
   *     current partition spec uses
   */
  public Schema dropColumn(String column) {
    Table table = lakehouse.loadTable(name);
    Types.NestedField field = requireColumn(table, column);
    if (table.schema().identifierFieldIds().contains(field.fieldId())) {
      throw new IllegalArgumentException("cannot drop column '" + column + "' of "
          + display(table) + ": it is part of the primary key");
    }
    for (PartitionField p : table.spec().fields()) {
      if (p.sourceId() == field.fieldId() && !p.transform().isVoid()) {
        throw new IllegalArgumentException("cannot drop column '" + column + "' of "
            + display(table) + ": the partition field '" + p.name() + "' uses it (remove it"
            + " from the partitioning first)");
      }
    }
    return commit(table, "drop column '" + column + "'",
        () -> table.updateSchema().deleteColumn(column).commit());
  }

  /**
   * Widens a column's type: int to long, float to double, or a decimal to a greater precision
   * of the same scale. Old files are read with the wider type.
   *
   * @param type Iceberg's name of the new type: {@code long}, {@code double},
   *     {@code decimal(20, 2)}
   * @return the new schema
   * @throws IllegalArgumentException for an unknown column or type, the same type, or a change
   *     that is not a widening (narrowing, another kind of type, a decimal's scale)
   */
  public Schema widenColumn(String column, String type) {
    Table table = lakehouse.loadTable(name);
    Types.NestedField field = requireColumn(table, column);
    Type.PrimitiveType to;
    try {
      to = Types.fromPrimitiveString(type.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot widen column '" + column + "' of "
          + display(table) + ": unknown type '" + type + "' (such as long, double,"
          + " decimal(20, 2))", e);
    }
    if (field.type().equals(to)) {
      throw new IllegalArgumentException("column '" + column + "' of " + display(table)
          + " is " + to + " already");
    }
    if (!TypeUtil.isPromotionAllowed(field.type(), to)) {
      throw new IllegalArgumentException("cannot change column '" + column + "' of "
          + display(table) + " from " + field.type() + " to " + to + ": not a widening"
          + " (Iceberg widens int to long, float to double and decimal(P, S) to a greater P"
          + " of the same S; narrowing or changing the kind of type would misread old files)");
    }
    return commit(table, "widen column '" + column + "'",
        () -> table.updateSchema().updateColumn(column, to).commit());
  }

  /**
   * Upsert tables keep their partitioning: Iceberg applies a partitioned equality delete only to
   * data files of the same spec and partition, so after a spec change an upsert would not
   * replace the rows of its key in older files (two rows for one key).
   */
  private static void requireNoPrimaryKey(Table table) {
    if (!table.schema().identifierFieldIds().isEmpty()) {
      throw new IllegalArgumentException("cannot change the partitioning of " + display(table)
          + ": it has a primary key (" + String.join(", ", table.schema().identifierFieldNames())
          + "), and an upsert's equality delete reaches only files of the partition spec it is"
          + " written in, so rows in files of the older spec would not be replaced; create a"
          + " new table with the partitioning and copy the rows");
    }
  }

  private Schema commit(Table table, String what, Runnable change) {
    try {
      change.run();
    } catch (IllegalArgumentException | IllegalStateException | ValidationException e) {
      throw new IllegalArgumentException("cannot " + what + " of " + display(table) + ": "
          + e.getMessage(), e);
    }
    return lakehouse.loadTable(name).schema();
  }

  private static Types.NestedField requireColumn(Table table, String column) {
    Types.NestedField field = column == null ? null : table.schema().findField(column);
    if (field == null) {
      throw new IllegalArgumentException("table " + display(table) + " has no column '" + column
          + "' (columns: " + String.join(", ", columnNames(table.schema())) + ")");
    }
    return field;
  }

  private static List<String> columnNames(Schema schema) {
    return schema.columns().stream().map(Types.NestedField::name).toList();
  }

  /** A partition spec's fields as {@code name (transform(column))}, or {@code none}. */
  static String describe(PartitionSpec spec) {
    if (spec.fields().isEmpty()) {
      return "none";
    }
    return String.join(", ", spec.fields().stream().map(f -> f.name() + " (" + f.transform()
        + "(" + spec.schema().findColumnName(f.sourceId()) + "))").toList());
  }

  /**
   * A partition term: {@code column}, {@code identity(column)}, {@code bucket(N, column)} or
   * {@code bucket(column, N)}, {@code truncate(W, column)}, {@code year|month|day|hour(column)}.
   */
  static Term parseTerm(String term, Schema schema) {
    Matcher m = TRANSFORM.matcher(term);
    String column;
    String transform;
    Integer width = null;
    if (m.matches()) {
      transform = m.group(1).toLowerCase(Locale.ROOT);
      column = m.group(3);
      if (m.group(2) != null && m.group(4) != null) {
        throw new IllegalArgumentException("bad partition term '" + term.trim()
            + "': one number only, as in bucket(16, id)");
      }
      String number = m.group(2) != null ? m.group(2) : m.group(4);
      width = number == null ? null : Integer.parseInt(number);
    } else if (term.trim().matches("[\\w.]+")) {
      transform = "identity";
      column = term.trim();
    } else {
      throw new IllegalArgumentException("bad partition term '" + term.trim() + "': expected a"
          + " column, identity(c), bucket(N, c), truncate(W, c), year(c), month(c), day(c) or"
          + " hour(c)");
    }
    if (schema.findField(column) == null) {
      throw new IllegalArgumentException("bad partition term '" + term.trim()
          + "': unknown column '" + column + "' (columns: "
          + String.join(", ", columnNames(schema)) + ")");
    }
    boolean needsWidth = transform.equals("bucket") || transform.equals("truncate");
    if (needsWidth != (width != null)) {
      throw new IllegalArgumentException("bad partition term '" + term.trim() + "': "
          + (needsWidth ? transform + " needs a number, as in " + transform + "(16, " + column
              + ")" : transform + " takes no number"));
    }
    return switch (transform) {
      case "identity" -> Expressions.ref(column);
      case "bucket" -> Expressions.bucket(column, width);
      case "truncate" -> Expressions.truncate(column, width);
      case "year", "years" -> Expressions.year(column);
      case "month", "months" -> Expressions.month(column);
      case "day", "days" -> Expressions.day(column);
      case "hour", "hours" -> Expressions.hour(column);
      default -> throw new IllegalArgumentException("bad partition term '" + term.trim()
          + "': unknown transform '" + transform + "' (identity, bucket, truncate, year, month,"
          + " day, hour)");
    };
  }

  private static String display(Table table) {
    String full = table.name();
    return full.substring(full.indexOf('.') + 1);
  }
}
