package io.weir.connectors.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the converter needs to know of PostgreSQL types it has no built-in mapping for: whether
 * a type is an enum, and the element type of an array type. Loaded from {@code pg_type}.
 * Thread-safe.
 */
public final class TypeRegistry {
  /**
   * A type.
   *
   * @param oid its oid
   * @param name its name
   * @param kind {@code pg_type.typtype}: b base, e enum, d domain, c composite…
   * @param elementOid the element type of an array type, 0 otherwise
   * @param baseOid the base type of a domain, 0 otherwise
   */
  public record PgType(int oid, String name, char kind, int elementOid, int baseOid) {}

  private final Map<Integer, PgType> types = new ConcurrentHashMap<>();

  /** A registry with no types: only built-in mappings apply (for tests). */
  public static TypeRegistry empty() {
    return new TypeRegistry();
  }

  /**
   * Loads every type of the database.
   *
   * @throws SQLException when the query fails
   */
  public static TypeRegistry load(Connection connection) throws SQLException {
    TypeRegistry registry = new TypeRegistry();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT oid, typname, typtype, typelem, typbasetype FROM pg_type")) {
      while (rows.next()) {
        registry.add(new PgType(rows.getInt(1), rows.getString(2), rows.getString(3).charAt(0),
            rows.getInt(4), rows.getInt(5)));
      }
    }
    return registry;
  }

  /**
   * Loads one type again, after the server announced it (a new enum, for example).
   *
   * @throws SQLException when the query fails
   */
  public void refresh(Connection connection, int oid) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT oid, typname, typtype, typelem, typbasetype FROM pg_type WHERE oid = ?"
            + " OR typelem = ?")) {
      statement.setInt(1, oid);
      statement.setInt(2, oid);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          add(new PgType(rows.getInt(1), rows.getString(2), rows.getString(3).charAt(0),
              rows.getInt(4), rows.getInt(5)));
        }
      }
    }
  }

  /** Adds or replaces a type. */
  public void add(PgType type) {
    types.put(type.oid(), type);
  }

  /** The type, or null when unknown. */
  public PgType get(int oid) {
    return types.get(oid);
  }
}
