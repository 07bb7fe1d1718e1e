package io.weir.connectors.postgres;

import io.weir.api.CborSerializable;
import java.util.List;
import java.util.Objects;

/**
 * The columns of a change's table as the change was made: read from the catalog for snapshot
 * reads, and from the server's Relation messages while streaming, so a column added or retyped
 * ({@code ALTER TABLE … ALTER COLUMN … TYPE bigint}) shows in the schema of the first change
 * made after it, in stream order, and the values of that change are typed by it. Events of one
 * table version share one instance.
 *
 * @param columns the columns in table order, never null
 */
public record TableSchema(List<Column> columns) implements CborSerializable {

  /** Keeps a read-only copy of the columns. */
  public TableSchema {
    columns = List.copyOf(columns);
  }

  /** The column named {@code name}, or null. */
  public Column column(String name) {
    for (Column column : columns) {
      if (column.name().equals(name)) {
        return column;
      }
    }
    return null;
  }

  /**
   * One column.
   *
   * @param name the column's name, never null
   * @param type the type's name in {@code pg_type} ({@code int4}, {@code int8},
   *     {@code numeric}, {@code _text} for {@code text[]}, an enum's name…), never null; the
   *     oid as text when the type is unknown
   * @param typeOid the type's oid
   * @param typeModifier the type modifier ({@code atttypmod}: length, precision and scale), -1
   *     when there is none
   * @param key whether the column is part of the key: the primary key for snapshot reads, the
   *     replica identity's key while streaming (the primary key under REPLICA IDENTITY DEFAULT;
   *     every column under FULL)
   */
  public record Column(String name, String type, int typeOid, int typeModifier, boolean key)
      implements CborSerializable {
    /** Checks that the names are present. */
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }
}
