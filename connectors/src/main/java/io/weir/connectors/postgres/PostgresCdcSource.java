package io.weir.connectors.postgres;

import io.weir.connectors.postgres.internal.PgCdcEnumerator;
import io.weir.connectors.postgres.internal.PgCdcReader;
import io.weir.stream.api.source.Boundedness;
import io.weir.stream.api.source.Source;
import io.weir.stream.api.source.SourceReader;
import io.weir.stream.api.source.SourceReaderContext;
import io.weir.stream.api.source.SplitEnumerator;
import io.weir.stream.api.source.SplitEnumeratorContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Change data capture from PostgreSQL by logical replication ({@code pgoutput}): a snapshot of
 * the tables in the replication slot's exported snapshot, then every committed insert, update,
 * delete and truncate, as {@link ChangeEvent}s in Debezium's envelope.
 *
 * <p>The source has one split, the slot, read by subtask 0; run it at parallelism 1 (other
 * readers get nothing). The split carries the position, so a reader given a split from a
 * checkpoint resumes streaming there without a new snapshot. The slot's confirmed position
 * advances only when a checkpoint completes.
 *
 * <pre>{@code
 * job.fromSource(PostgresCdcSource.newBuilder()
 *         .jdbcUrl("jdbc:postgresql://localhost:5432/shop").user("cdc").password("secret")
 *         .slotName("weir_shop").publicationName("weir_shop").tables(List.of("public.orders"))
 *         .build(), "Postgres CDC")
 * }</pre>
 *
 * @param settings what to capture, never null
 */
public record PostgresCdcSource(PostgresCdcSettings settings)
    implements Source<ChangeEvent, PgSplit, PgEnumeratorState> {

  /** Checks the settings. */
  public PostgresCdcSource {
    Objects.requireNonNull(settings, "settings");
  }

  /** A builder with the defaults: snapshot mode INITIAL, chunks of 1,024 rows. */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Bounded for {@link SnapshotMode#INITIAL_ONLY}, unbounded otherwise. */
  @Override
  public Boundedness boundedness() {
    return settings.snapshotMode() == SnapshotMode.INITIAL_ONLY
        ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SplitEnumerator<PgSplit, PgEnumeratorState> createEnumerator(
      SplitEnumeratorContext<PgSplit> context) {
    return new PgCdcEnumerator(context, List.of(PgSplit.fresh(settings.slotName())),
        boundedness() == Boundedness.BOUNDED);
  }

  @Override
  public SplitEnumerator<PgSplit, PgEnumeratorState> restoreEnumerator(
      SplitEnumeratorContext<PgSplit> context, PgEnumeratorState checkpoint) {
    return new PgCdcEnumerator(context, checkpoint.unassigned(),
        boundedness() == Boundedness.BOUNDED);
  }

  @Override
  public SourceReader<ChangeEvent, PgSplit> createReader(SourceReaderContext context) {
    return new PgCdcReader(settings, context);
  }

  @Override
  public Class<PgEnumeratorState> checkpointType() {
    return PgEnumeratorState.class;
  }

  @Override
  public Class<PgSplit> splitType() {
    return PgSplit.class;
  }

  /** Builds a {@link PostgresCdcSource}. Not thread-safe; each setter returns this builder. */
  public static final class Builder {
    private String jdbcUrl;
    private String user;
    private String password;
    private String slotName;
    private String publicationName;
    private List<String> tables = List.of();
    private SnapshotMode snapshotMode = SnapshotMode.INITIAL;
    private int snapshotChunkSize = 1024;
    private Duration statusInterval = Duration.ofSeconds(10);
    private int queueCapacity = 4096;
    private boolean provideTransactionMetadata;
    private boolean streaming;
    private long streamingMemoryBytes = 16L << 20;

    private Builder() {}

    /** The database's JDBC URL, {@code jdbc:postgresql://host:port/db}. */
    public Builder jdbcUrl(String jdbcUrl) {
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    /** A user with the REPLICATION attribute. */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /** The user's password, may be null. */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /** The logical replication slot (lower-case letters, digits, underscores). */
    public Builder slotName(String slotName) {
      this.slotName = slotName;
      return this;
    }

    /** The publication. */
    public Builder publicationName(String publicationName) {
      this.publicationName = publicationName;
      return this;
    }

    /** The captured tables, {@code schema.table} or {@code table}. */
    public Builder tables(List<String> tables) {
      this.tables = List.copyOf(tables);
      return this;
    }

    /** What to read before streaming; INITIAL by default. */
    public Builder snapshotMode(SnapshotMode snapshotMode) {
      this.snapshotMode = snapshotMode;
      return this;
    }

    /** Rows per snapshot chunk; 1,024 by default. */
    public Builder snapshotChunkSize(int snapshotChunkSize) {
      this.snapshotChunkSize = snapshotChunkSize;
      return this;
    }

    /** How often status updates go to the server; 10 s by default. */
    public Builder statusInterval(Duration statusInterval) {
      this.statusInterval = statusInterval;
      return this;
    }

    /** Events buffered ahead of the job; 4,096 by default. */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /**
     * Whether streamed transactions are framed by BEGIN and END events (the END one counting
     * the transaction's events per table) and each change carries its transaction's id and its
     * order in it, as Debezium's {@code provide.transaction.metadata}; off by default.
     */
    public Builder provideTransactionMetadata(boolean provideTransactionMetadata) {
      this.provideTransactionMetadata = provideTransactionMetadata;
      return this;
    }

    /**
     * Whether to replicate with {@code pgoutput} protocol version 2 and {@code streaming 'on'}
     * (PostgreSQL 14 or later): a transaction larger than the server's
     * {@code logical_decoding_work_mem} is sent while still in progress instead of being
     * decoded to the server's disk first. The reader holds its changes (see
     * {@link #streamingMemoryBytes}) and emits them when it commits, so the events are the same
     * as without streaming: committed transactions only, in commit order. Off by default.
     */
    public Builder streaming(boolean streaming) {
      this.streaming = streaming;
      return this;
    }

    /**
     * Bytes of one streamed transaction held in memory; past them its changes spill to a
     * temporary file (in {@code java.io.tmpdir}) until it commits or aborts. 16 MiB by default;
     * 0 spills everything.
     */
    public Builder streamingMemoryBytes(long streamingMemoryBytes) {
      this.streamingMemoryBytes = streamingMemoryBytes;
      return this;
    }

    /**
     * The source.
     *
     * @throws NullPointerException when the URL, user, slot or publication is missing
     * @throws IllegalArgumentException when a setting is invalid
     */
    public PostgresCdcSource build() {
      return new PostgresCdcSource(new PostgresCdcSettings(jdbcUrl, user, password, slotName,
          publicationName, tables, snapshotMode, snapshotChunkSize, statusInterval,
          queueCapacity, provideTransactionMetadata, streaming, streamingMemoryBytes));
    }
  }
}
