package io.weir.lakehouse;

import io.weir.lakehouse.internal.IcebergCommitter;
import io.weir.lakehouse.internal.IcebergSinkWriter;
import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.util.Objects;
import org.apache.iceberg.SnapshotRef;

/**
 * An exactly-once sink into an Iceberg table. Each subtask writes Parquet files rolled by the
 * table's target file size ({@code write.target-file-size-bytes}, else the settings'); on each
 * checkpoint barrier it closes them and hands them to the sink's single committer (a
 * {@linkplain #globalCommitter() global committer}, parallelism 1), which keeps them in its
 * checkpoint and, when the checkpoint completes, commits every subtask's files in one snapshot
 * whose summary records {@code weir.job-id} ({@code job name/sink id}),
 * {@code weir.checkpoint-id} and {@code weir.runs} (each writer run with its highest
 * checkpoint). A commit repeated after a restore skips what the table already holds of each
 * run.
 *
 * <p>Append mode takes {@link Row.Kind#INSERT} rows. Upsert mode (a format-2 table with a
 * primary key, partitioned by key columns only) writes an equality delete by key before each
 * row and deletes by key; key the stream by the primary key before the sink, so that one key's
 * changes stay in one subtask, in order.
 *
 * <p>Immutable; created by the job definition on every node.
 */
public final class IcebergSink implements TwoPhaseCommitSink<Row, IcebergCommittable> {
  private final LakehouseSettings settings;
  private final String table;
  private final String sinkId;
  private final boolean upsert;
  private final String branch;
  private final boolean evolve;
  private final int commitEvery;
  private final java.time.Duration commitInterval;

  private IcebergSink(LakehouseSettings settings, String table, String sinkId, boolean upsert,
      String branch, boolean evolve, int commitEvery, java.time.Duration commitInterval) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.table = Objects.requireNonNull(table, "table");
    this.sinkId = Objects.requireNonNull(sinkId, "sinkId");
    this.upsert = upsert;
    this.branch = Objects.requireNonNull(branch, "branch");
    this.evolve = evolve;
    this.commitEvery = commitEvery;
    this.commitInterval = Objects.requireNonNull(commitInterval, "commitInterval");
    if (commitEvery < 1 || commitInterval.isNegative()) {
      throw new IllegalArgumentException("a commit cadence needs at least 1 checkpoint and no"
          + " negative interval, was " + commitEvery + " and " + commitInterval);
    }
    if (sinkId.isBlank()) {
      throw new IllegalArgumentException("sink id must not be blank");
    }
  }

  /**
   * An append-mode sink.
   *
   * @param settings the lakehouse holding the table
   * @param table {@code namespace.table} or {@code table}; it must exist when the job runs
   * @param sinkId names this sink within its job, in snapshot summaries
   */
  public static IcebergSink append(LakehouseSettings settings, String table, String sinkId) {
    return new IcebergSink(settings, table, sinkId, false, SnapshotRef.MAIN_BRANCH, false, 1,
        java.time.Duration.ZERO);
  }

  /** An upsert-mode sink (see the class comment). */
  public static IcebergSink upsert(LakehouseSettings settings, String table, String sinkId) {
    return new IcebergSink(settings, table, sinkId, true, SnapshotRef.MAIN_BRANCH, false, 1,
        java.time.Duration.ZERO);
  }

  /** The same sink committing to a branch (created by the first commit when missing). */
  public IcebergSink toBranch(String branchName) {
    return new IcebergSink(settings, table, sinkId, upsert, branchName, evolve, commitEvery,
        commitInterval);
  }

  /**
   * The same sink following the stream's schema: a row with a column the table lacks adds that
   * column (optional, its type from the value: strings, whole and decimal numbers, booleans,
   * dates, times, timestamps, UUIDs, bytes), as a CDC source's table gains one. The rows
   * written before read it as null. Without this, such a row fails the job, naming the column.
   */
  public IcebergSink withSchemaEvolution() {
    return new IcebergSink(settings, table, sinkId, upsert, branch, true, commitEvery,
        commitInterval);
  }

  /**
   * The same sink committing apart from the checkpoint interval: once {@code checkpoints}
   * completed checkpoints wait, or {@code interval} passed since the last commit (whichever
   * first; {@code Duration.ZERO} for no time limit), so frequent checkpoints do not drown the
   * table in small snapshots. What waits is kept in every checkpoint until committed, so
   * exactly-once holds; the final checkpoint of a bounded input and the end of an attempt
   * (cancel, failure) commit it.
   */
  public IcebergSink withCommitEvery(int checkpoints, java.time.Duration interval) {
    return new IcebergSink(settings, table, sinkId, upsert, branch, evolve, checkpoints,
        interval);
  }

  /**
   * Opens the table for one subtask.
   *
   * @throws org.apache.iceberg.exceptions.NoSuchTableException when the table does not exist
   * @throws IllegalArgumentException in upsert mode, for a table that cannot take upserts
   */
  @Override
  public PrecommittingSinkWriter<Row, IcebergCommittable> createWriter(SinkContext context) {
    Lakehouse lakehouse = Lakehouse.open(settings);
    try {
      return new IcebergSinkWriter(lakehouse, table, upsert,
          context.jobName() + "/" + sinkId, context.subtaskIndex(), evolve);
    } catch (RuntimeException e) {
      closeQuietly(lakehouse, e);
      throw e;
    }
  }

  @Override
  public Committer<IcebergCommittable> createCommitter(SinkContext context) {
    return new IcebergCommitter(Lakehouse.open(settings), table, branch, commitEvery,
        commitInterval);
  }

  /** Yes: one committer commits all subtasks' files of a checkpoint in one snapshot. */
  @Override
  public boolean globalCommitter() {
    return true;
  }

  @Override
  public Class<IcebergCommittable> committableType() {
    return IcebergCommittable.class;
  }

  private static void closeQuietly(Lakehouse lakehouse, Exception cause) {
    try {
      lakehouse.close();
    } catch (Exception e) {
      cause.addSuppressed(e);
    }
  }
}
