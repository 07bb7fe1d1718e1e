package io.weir.connectors.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PostgresCdcSource} connects to and captures. Immutable; build one with
 * {@link PostgresCdcSource#newBuilder()}.
 *
 * @param jdbcUrl the database, {@code jdbc:postgresql://host:port/db}, never null
 * @param user a user with the REPLICATION attribute, never null
 * @param password may be null
 * @param slotName the logical replication slot, created if missing, never null
 * @param publicationName the publication, created for {@code tables} if missing (missing
 *     tables are added to an existing one), never null
 * @param tables the captured tables as {@code schema.table} or {@code table} (schema public),
 *     at least one
 * @param snapshotMode what to read before streaming, never null
 * @param snapshotChunkSize rows read per primary-key chunk in the snapshot, at least 1
 * @param statusInterval how often the reader sends a status update (a heartbeat) to the server
 * @param queueCapacity how many events the background reader may hold before it waits
 * @param provideTransactionMetadata whether streamed transactions are framed by
 *     {@link ChangeEvent.Operation#BEGIN} and {@link ChangeEvent.Operation#END} events and each
 *     change carries its {@link ChangeEvent.TransactionInfo} (Debezium's
 *     {@code provide.transaction.metadata})
 * @param streaming whether replication uses protocol version 2 with {@code streaming 'on'}
 *     (PostgreSQL 14+): the server sends a large transaction while it is still in progress, and
 *     the reader holds it until it commits
 * @param streamingMemoryBytes bytes of one streamed transaction's messages held in memory;
 *     the rest spills to a temporary file until the transaction commits or aborts
 */
public record PostgresCdcSettings(String jdbcUrl, String user, String password, String slotName,
    String publicationName, List<String> tables, SnapshotMode snapshotMode,
    int snapshotChunkSize, Duration statusInterval, int queueCapacity,
    boolean provideTransactionMetadata, boolean streaming, long streamingMemoryBytes) {

  /** Checks every setting. */
  public PostgresCdcSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(slotName, "slotName");
    Objects.requireNonNull(publicationName, "publicationName");
    Objects.requireNonNull(snapshotMode, "snapshotMode");
    Objects.requireNonNull(statusInterval, "statusInterval");
    tables = List.copyOf(tables);
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("capture at least one table");
    }
    if (!slotName.matches("[a-z0-9_]{1,63}")) {
      throw new IllegalArgumentException("slot name '" + slotName
          + "' must be 1 to 63 lower-case letters, digits or underscores");
    }
    if (!publicationName.matches("[A-Za-z0-9_]{1,63}")) {
      throw new IllegalArgumentException("publication name '" + publicationName
          + "' must be 1 to 63 letters, digits or underscores");
    }
    if (snapshotChunkSize < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("snapshotChunkSize and queueCapacity must be positive");
    }
    if (streamingMemoryBytes < 0) {
      throw new IllegalArgumentException("streamingMemoryBytes must not be negative, was "
          + streamingMemoryBytes);
    }
    if (statusInterval.isNegative() || statusInterval.isZero()) {
      throw new IllegalArgumentException("statusInterval must be positive");
    }
  }
}
