package io.weir.node.pipeline;

import io.weir.api.WeirException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The columns of a PostgreSQL source's tables, from {@code information_schema.columns}, as the
 * column types of pipeline files: what an Iceberg sink creates its missing tables with.
 */
public final class PostgresColumns {
  private PostgresColumns() {}

  /**
   * Looks the columns up.
   *
   * @param source the source
   * @return table ({@code schema.table}) to column name to type, in table order
   * @throws WeirException when the database cannot be read or a table does not exist
   */
  public static Map<String, Map<String, String>> lookup(Pipeline.Postgres source) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection(source.jdbcUrl(), source.username(),
        source.password());
        PreparedStatement s = c.prepareStatement("SELECT column_name, data_type FROM"
            + " information_schema.columns WHERE table_schema = ? AND table_name = ?"
            + " ORDER BY ordinal_position")) {
      for (String table : source.tables()) {
        int dot = table.indexOf('.');
        s.setString(1, table.substring(0, dot));
        s.setString(2, table.substring(dot + 1));
        Map<String, String> columns = new LinkedHashMap<>();
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            columns.put(r.getString(1), type(r.getString(2)));
          }
        }
        if (columns.isEmpty()) {
          throw new WeirException("the source's table " + table + " does not exist in "
              + source.jdbcUrl());
        }
        out.put(table, columns);
      }
    } catch (SQLException e) {
      throw new WeirException("cannot read the columns of the source's tables from "
          + source.jdbcUrl() + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static String type(String dataType) {
    return switch (dataType) {
      case "boolean" -> "boolean";
      case "smallint", "integer" -> "int";
      case "bigint" -> "long";
      case "real" -> "float";
      case "double precision", "numeric" -> "double";
      case "date" -> "date";
      case "timestamp without time zone" -> "timestamp";
      case "timestamp with time zone" -> "timestamptz";
      default -> "string";
    };
  }
}
