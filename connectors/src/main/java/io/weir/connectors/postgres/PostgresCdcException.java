package io.weir.connectors.postgres;

import io.weir.api.WeirException;

/** A PostgreSQL change data capture source cannot go on; the message says why and what to do. */
public class PostgresCdcException extends WeirException {
  /**
   * @param message what went wrong, never null
   * @param cause the underlying failure, may be null
   */
  public PostgresCdcException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The server's {@code wal_level} is not {@code logical}. */
  public static final class LogicalReplicationDisabled extends PostgresCdcException {
    /**
     * @param walLevel the server's current setting, never null
     */
    public LogicalReplicationDisabled(String walLevel) {
      super("PostgreSQL's wal_level is '" + walLevel + "', change data capture needs 'logical':"
          + " set wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level ="
          + " logical) and restart the server", null);
    }
  }

  /** The user may not use replication (no REPLICATION attribute) or create the publication. */
  public static final class ReplicationNotPermitted extends PostgresCdcException {
    /**
     * @param user the connecting user, never null
     * @param cause the server's refusal, never null
     */
    public ReplicationNotPermitted(String user, Throwable cause) {
      super("user '" + user + "' may not use logical replication: grant it with ALTER ROLE "
          + user + " WITH REPLICATION (and ownership of the published tables, or an existing"
          + " publication); the server said: " + cause.getMessage(), cause);
    }
  }

  /** The replication slot a checkpoint resumes from does not exist any more. */
  public static final class SlotMissing extends PostgresCdcException {
    /**
     * @param slot the slot's name, never null
     */
    public SlotMissing(String slot) {
      super("replication slot '" + slot + "' is gone, so the changes since the last checkpoint"
          + " are lost: start the job without its checkpoint to snapshot again, or use snapshot"
          + " mode WHEN_NEEDED", null);
    }
  }

  /** A configured table does not exist (or the user cannot see it). */
  public static final class TableMissing extends PostgresCdcException {
    /**
     * @param table the table as {@code schema.table}, never null
     */
    public TableMissing(String table) {
      super("table " + table + " does not exist or is not visible to the user: check the"
          + " source's tables (schema.table, names as created, case-sensitive)", null);
    }
  }
}
