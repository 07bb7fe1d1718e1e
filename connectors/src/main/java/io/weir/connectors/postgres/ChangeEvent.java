package io.weir.connectors.postgres;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.weir.api.CborSerializable;
import io.weir.connectors.postgres.internal.RowImage;
import io.weir.connectors.postgres.internal.RowImageJson;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row change, shaped like Debezium's envelope: the row {@code before} and {@code after},
 * the operation, where it comes from, and when it was read.
 *
 * <p>Row images map column names, in table order, to values typed by the column's PostgreSQL
 * type: {@code Short}, {@code Integer}, {@code Long}, {@code BigDecimal} (numeric),
 * {@code Float}, {@code Double}, {@code Boolean}, {@code String} (text, varchar, char, json,
 * jsonb, enums and types without a mapping), {@code LocalDate}, {@code LocalTime},
 * {@code LocalDateTime} (timestamp), {@code Instant} (timestamptz), {@code UUID},
 * {@code byte[]} (bytea), {@code List} (arrays, nested for several dimensions); SQL NULL is
 * null, an unchanged TOASTed column {@link Unavailable#VALUE}. Special values without a Java
 * counterpart ({@code infinity} dates, {@code NaN} numerics) are kept as their text.
 *
 * <p>Events serialize with Jackson (CBOR between nodes) keeping every value's Java type.
 *
 * @param before the row before the change: null for inserts, snapshot reads and truncates, and
 *     for updates of a table with REPLICA IDENTITY DEFAULT whose key did not change; only the
 *     key columns are set (others null) for deletes under REPLICA IDENTITY DEFAULT
 * @param after the row after the change: null for deletes and truncates
 * @param op the operation, never null
 * @param source where the change comes from, never null
 * @param tsMs when the connector read the change, epoch milliseconds
 * @param transaction the change's place in its transaction, or (for BEGIN and END events) the
 *     transaction's; null unless the source provides transaction metadata, and for snapshot reads
 * @param schema the table's columns as of the change (see {@link TableSchema}); null for BEGIN
 *     and END events
 */
public record ChangeEvent(
    @JsonSerialize(using = RowImageJson.Serializer.class)
    @JsonDeserialize(using = RowImageJson.Deserializer.class)
    Map<String, Object> before,
    @JsonSerialize(using = RowImageJson.Serializer.class)
    @JsonDeserialize(using = RowImageJson.Deserializer.class)
    Map<String, Object> after,
    Operation op, SourceInfo source, long tsMs, TransactionInfo transaction,
    TableSchema schema)
    implements CborSerializable {

  /**
   * Checks the operation and source, and keeps read-only copies of the row images (a row image
   * the connector built is read-only already and kept as is).
   */
  public ChangeEvent {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(source, "source");
    before = before == null ? null : RowImage.copyOf(before);
    after = after == null ? null : RowImage.copyOf(after);
  }

  /** A change without transaction metadata or schema. */
  public ChangeEvent(Map<String, Object> before, Map<String, Object> after, Operation op,
      SourceInfo source, long tsMs) {
    this(before, after, op, source, tsMs, null, null);
  }

  /** A change without schema. */
  public ChangeEvent(Map<String, Object> before, Map<String, Object> after, Operation op,
      SourceInfo source, long tsMs, TransactionInfo transaction) {
    this(before, after, op, source, tsMs, transaction, null);
  }

  /** This event with {@code transaction} as its transaction metadata. */
  public ChangeEvent withTransaction(TransactionInfo transaction) {
    return new ChangeEvent(before, after, op, source, tsMs, transaction, schema);
  }

  /**
   * Debezium's transaction metadata: on a change, its {@code transaction} block; on a BEGIN or
   * END event, the transaction's.
   *
   * @param id Debezium's id for PostgreSQL transactions, {@code <txId>:<commit LSN>}, never null
   * @param totalOrder the change's position among its transaction's changes, from 1 (0 on BEGIN
   *     and END)
   * @param dataCollectionOrder the change's position among its transaction's changes of the same
   *     table, from 1 (0 on BEGIN and END)
   * @param eventCount on END, how many changes the transaction had; 0 otherwise
   * @param dataCollections on END, the changes per table ({@code schema.table}), in order of
   *     first change; empty otherwise
   */
  public record TransactionInfo(String id, long totalOrder, long dataCollectionOrder,
      long eventCount, Map<String, Long> dataCollections) implements CborSerializable {
    /** Checks the id and keeps a read-only copy of the counts. */
    public TransactionInfo {
      Objects.requireNonNull(id, "id");
      dataCollections = dataCollections == null ? Map.of()
          : Collections.unmodifiableMap(new LinkedHashMap<>(dataCollections));
    }
  }

  /** Debezium's operation codes. */
  public enum Operation {
    /** A row inserted. */
    CREATE("c"),
    /** A row changed. */
    UPDATE("u"),
    /** A row deleted. */
    DELETE("d"),
    /** A row read by the snapshot. */
    READ("r"),
    /** A table truncated. */
    TRUNCATE("t"),
    /**
     * A transaction begins (only with transaction metadata): no rows, an empty table name in
     * {@code source}, Debezium's {@code status} as code.
     */
    BEGIN("BEGIN"),
    /** A transaction ended (only with transaction metadata), with its event counts. */
    END("END");

    private final String code;

    Operation(String code) {
      this.code = code;
    }

    /**
     * Debezium's one-letter code ({@code c}, {@code u}, {@code d}, {@code r}, {@code t}), or its
     * transaction {@code status} ({@code BEGIN}, {@code END}).
     */
    public String code() {
      return code;
    }
  }

  /**
   * Debezium's {@code source} block.
   *
   * @param connector always {@code postgresql}
   * @param db the database name
   * @param schema the table's schema
   * @param table the table's name
   * @param lsn the commit LSN of the change's transaction; for snapshot reads, the slot's
   *     consistent point
   * @param txId the transaction id, null for snapshot reads
   * @param tsMs the commit time, epoch milliseconds (for snapshot reads, the read time)
   * @param snapshot {@code true} for snapshot reads, {@code last} for the last one,
   *     {@code false} for streamed changes
   */
  public record SourceInfo(String connector, String db, String schema, String table, long lsn,
      Long txId, long tsMs, String snapshot) {
    /** Checks that the names are present. */
    public SourceInfo {
      Objects.requireNonNull(connector, "connector");
      Objects.requireNonNull(db, "db");
      Objects.requireNonNull(schema, "schema");
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(snapshot, "snapshot");
    }
  }
}
