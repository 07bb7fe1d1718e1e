package io.weir.connectors.postgres.internal;

/**
 * A table's schema and name, as configured ({@code schema.table}, or {@code table} in public).
 *
 * @param schema never null
 * @param table never null
 */
public record TableId(String schema, String table) {
  /** Parses {@code schema.table} or {@code table}. */
  public static TableId parse(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? new TableId("public", name)
        : new TableId(name.substring(0, dot), name.substring(dot + 1));
  }

  /** The quoted name for SQL, {@code "schema"."table"}. */
  public String quoted() {
    return quote(schema) + "." + quote(table);
  }

  /** Quotes an identifier. */
  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  @Override
  public String toString() {
    return schema + "." + table;
  }
}
