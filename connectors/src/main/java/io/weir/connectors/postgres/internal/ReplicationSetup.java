package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.PostgresCdcException;
import io.weir.connectors.postgres.PostgresCdcSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;

/**
 * Connections, checks and objects a CDC reader needs: {@code wal_level}, the publication and the
 * replication slot. Every method blocks on the database; call them off the subtask's thread.
 */
public final class ReplicationSetup {
  /**
   * A slot created with an exported snapshot.
   *
   * @param consistentLsn where streaming starts so that it meets the snapshot exactly
   * @param snapshotName the exported snapshot, valid while the replication connection is idle
   */
  public record CreatedSlot(long consistentLsn, String snapshotName) {}

  private final PostgresCdcSettings settings;

  /** Setup for {@code settings}. */
  public ReplicationSetup(PostgresCdcSettings settings) {
    this.settings = settings;
  }

  /** A plain connection, values in text format (so snapshot and stream read the same text). */
  public Connection openSql() throws SQLException {
    Properties properties = credentials();
    PGProperty.BINARY_TRANSFER.set(properties, false);
    return DriverManager.getConnection(settings.jdbcUrl(), properties);
  }

  /**
   * A replication connection ({@code replication=database}).
   *
   * @throws PostgresCdcException.ReplicationNotPermitted when the user lacks REPLICATION
   */
  public Connection openReplication() throws SQLException {
    Properties properties = credentials();
    PGProperty.REPLICATION.set(properties, "database");
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
    PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
    try {
      return DriverManager.getConnection(settings.jdbcUrl(), properties);
    } catch (SQLException e) {
      throw permission(e);
    }
  }

  private Properties credentials() {
    Properties properties = new Properties();
    PGProperty.USER.set(properties, settings.user());
    if (settings.password() != null) {
      PGProperty.PASSWORD.set(properties, settings.password());
    }
    PGProperty.APPLICATION_NAME.set(properties, "weir-cdc-" + settings.slotName());
    return properties;
  }

  /** Turns a refusal for lack of rights into a clear error; other failures are returned as is. */
  SQLException permission(SQLException e) {
    String message = String.valueOf(e.getMessage()).toLowerCase();
    boolean denied = "42501".equals(e.getSQLState()) || ("28000".equals(e.getSQLState())
        && (message.contains("replication") || message.contains("wal sender")));
    if (denied) {
      throw new PostgresCdcException.ReplicationNotPermitted(settings.user(), e);
    }
    return e;
  }

  /**
   * Fails unless {@code wal_level} is {@code logical}.
   *
   * @throws PostgresCdcException.LogicalReplicationDisabled when it is not
   */
  public void checkWalLevel(Connection sql) throws SQLException {
    try (Statement statement = sql.createStatement();
        ResultSet row = statement.executeQuery("SHOW wal_level")) {
      row.next();
      String level = row.getString(1);
      if (!"logical".equals(level)) {
        throw new PostgresCdcException.LogicalReplicationDisabled(level);
      }
    }
  }

  private static int serverVersion(Connection sql) throws SQLException {
    try (Statement statement = sql.createStatement();
        ResultSet row = statement.executeQuery("SHOW server_version_num")) {
      row.next();
      return Integer.parseInt(row.getString(1));
    }
  }

  /** The connected database's name. */
  public static String database(Connection sql) throws SQLException {
    try (Statement statement = sql.createStatement();
        ResultSet row = statement.executeQuery("SELECT current_database()")) {
      row.next();
      return row.getString(1);
    }
  }

  /**
   * Creates the publication for the configured tables, or adds the missing tables to an
   * existing one (one {@code FOR ALL TABLES} is reused as is).
   *
   * @throws PostgresCdcException.TableMissing when a configured table does not exist
   */
  public void ensurePublication(Connection sql) throws SQLException {
    List<TableId> tables = settings.tables().stream().map(TableId::parse).toList();
    for (TableId table : tables) {
      try (PreparedStatement statement = sql.prepareStatement("SELECT to_regclass(?)")) {
        statement.setString(1, table.quoted());
        try (ResultSet row = statement.executeQuery()) {
          row.next();
          if (row.getString(1) == null) {
            throw new PostgresCdcException.TableMissing(table.toString());
          }
        }
      }
    }
    try {
      Boolean allTables = null;
      try (PreparedStatement statement = sql.prepareStatement(
          "SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
        statement.setString(1, settings.publicationName());
        try (ResultSet row = statement.executeQuery()) {
          if (row.next()) {
            allTables = row.getBoolean(1);
          }
        }
      }
      String publication = TableId.quote(settings.publicationName());
      if (allTables == null) {
        execute(sql, "CREATE PUBLICATION " + publication + " FOR TABLE "
            + String.join(", ", tables.stream().map(TableId::quoted).toList()));
        return;
      }
      if (allTables) {
        return;
      }
      Set<TableId> published = new HashSet<>();
      // From the catalogs rather than the view pg_publication_tables, which opens (and so
      // waits for locks on) every table of the publication.
      boolean schemas = serverVersion(sql) >= 150000;
      try (PreparedStatement statement = sql.prepareStatement(
          "SELECT n.nspname, c.relname FROM pg_publication p"
              + " JOIN pg_publication_rel pr ON pr.prpubid = p.oid"
              + " JOIN pg_class c ON c.oid = pr.prrelid"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE p.pubname = ?"
              + (schemas ? " UNION SELECT n.nspname, c.relname FROM pg_publication p"
                  + " JOIN pg_publication_namespace pn ON pn.pnpubid = p.oid"
                  + " JOIN pg_class c ON c.relnamespace = pn.pnnspid AND c.relkind IN ('r', 'p')"
                  + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE p.pubname = ?"
                  : ""))) {
        statement.setString(1, settings.publicationName());
        if (schemas) {
          statement.setString(2, settings.publicationName());
        }
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            published.add(new TableId(rows.getString(1), rows.getString(2)));
          }
        }
      }
      for (TableId table : tables) {
        if (!published.contains(table)) {
          execute(sql, "ALTER PUBLICATION " + publication + " ADD TABLE " + table.quoted());
        }
      }
    } catch (SQLException e) {
      throw permission(e);
    }
  }

  /**
   * Whether the slot exists in this database.
   *
   * @throws PostgresCdcException when a slot of that name uses another plugin or database
   */
  public boolean slotExists(Connection sql) throws SQLException {
    try (PreparedStatement statement = sql.prepareStatement(
        "SELECT plugin, database FROM pg_replication_slots WHERE slot_name = ?")) {
      statement.setString(1, settings.slotName());
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return false;
        }
        if (!"pgoutput".equals(row.getString(1)) || !database(sql).equals(row.getString(2))) {
          throw new PostgresCdcException("replication slot '" + settings.slotName()
              + "' exists for plugin " + row.getString(1) + " in database " + row.getString(2)
              + ", not pgoutput in " + database(sql) + ": choose another slot name", null);
        }
        return true;
      }
    }
  }

  /** Drops the slot, waiting up to 30 s for a reader that just stopped to let go of it. */
  public void dropSlot(Connection sql) throws SQLException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try (PreparedStatement statement = sql.prepareStatement(
          "SELECT pg_drop_replication_slot(?)")) {
        statement.setString(1, settings.slotName());
        statement.execute();
        return;
      } catch (SQLException e) {
        if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Creates the slot on the replication connection and exports its snapshot. The snapshot
   * stays valid until that connection runs another command.
   */
  public CreatedSlot createSlot(Connection replication) throws SQLException {
    try (Statement statement = replication.createStatement();
        ResultSet row = statement.executeQuery("CREATE_REPLICATION_SLOT "
            + TableId.quote(settings.slotName()) + " LOGICAL pgoutput EXPORT_SNAPSHOT")) {
      row.next();
      return new CreatedSlot(LogSequenceNumber.valueOf(row.getString(2)).asLong(),
          row.getString(3));
    } catch (SQLException e) {
      throw permission(e);
    }
  }

  /** The name of the temporary slot a resumed snapshot reads in: the slot's, suffixed. */
  public String temporarySlotName() {
    String slot = settings.slotName();
    return (slot.length() > 55 ? slot.substring(0, 55) : slot) + "_resume";
  }

  /**
   * Creates a temporary slot (dropped when the connection closes) on the replication connection
   * and exports its snapshot, valid until that connection runs another command.
   */
  public CreatedSlot createTemporarySlot(Connection replication, String name)
      throws SQLException {
    try (Statement statement = replication.createStatement();
        ResultSet row = statement.executeQuery("CREATE_REPLICATION_SLOT " + TableId.quote(name)
            + " TEMPORARY LOGICAL pgoutput EXPORT_SNAPSHOT")) {
      row.next();
      return new CreatedSlot(LogSequenceNumber.valueOf(row.getString(2)).asLong(),
          row.getString(3));
    } catch (SQLException e) {
      throw permission(e);
    }
  }

  /** Drops a slot this replication connection holds (a temporary one, when done with it). */
  public void dropReplicationSlot(Connection replication, String name) throws SQLException {
    try (Statement statement = replication.createStatement()) {
      statement.execute("DROP_REPLICATION_SLOT " + TableId.quote(name));
    }
  }

  private static void execute(Connection sql, String command) throws SQLException {
    try (Statement statement = sql.createStatement()) {
      statement.execute(command);
    }
  }
}
