package io.weir.lakehouse.internal;

import io.weir.lakehouse.IcebergCommittable;
import io.weir.lakehouse.IcebergCommittable.Content;
import io.weir.lakehouse.IcebergCommittable.StagedFile;
import io.weir.lakehouse.Lakehouse;
import io.weir.stream.api.sink.Committer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a sink subtask's staged files: one Iceberg snapshot (an append, or a row delta when
 * there are delete files) per writer run and checkpoint, with {@value #JOB_ID},
 * {@value #RUN_ID} and {@value #CHECKPOINT_ID} in its summary. Before committing it finds the
 * highest checkpoint id committed for the run on the branch and skips committables at or below
 * it, so a commit repeated after a crash between the Iceberg commit and the runtime's record of
 * it is a no-op. Called from one thread.
 */
public final class IcebergCommitter implements Committer<IcebergCommittable> {
  /** Snapshot summary key: the sink's identity, {@code job name/sink id}. */
  public static final String JOB_ID = "weir.job-id";
  /** Snapshot summary key: the writer run (one per writer start) that staged the files. */
  public static final String RUN_ID = "weir.run-id";
  /** Snapshot summary key: the checkpoint the files belong to. */
  public static final String CHECKPOINT_ID = "weir.checkpoint-id";
  /** Snapshot summary key: the sink subtask that wrote the files. */
  public static final String SUBTASK = "weir.subtask";

  private static final Logger LOG = LoggerFactory.getLogger(IcebergCommitter.class);
  private final Lakehouse lakehouse;
  private final String tableName;
  private final String branch;
  private final Map<String, Long> committedByRun = new HashMap<>();
  private final int everyCheckpoints;
  private final java.time.Duration interval;
  private Table table;

  /**
   * A committer to a table's branch, committing at every checkpoint.
   *
   * @param lakehouse owned: closed with the committer
   * @param branch the branch commits go to, {@code main} by default
   */
  public IcebergCommitter(Lakehouse lakehouse, String tableName, String branch) {
    this(lakehouse, tableName, branch, 1, java.time.Duration.ZERO);
  }

  /**
   * A committer with a cadence of its own: it commits once {@code everyCheckpoints} completed
   * checkpoints wait, or {@code interval} passed since its last commit, whichever comes first.
   */
  public IcebergCommitter(Lakehouse lakehouse, String tableName, String branch,
      int everyCheckpoints, java.time.Duration interval) {
    this.lakehouse = lakehouse;
    this.tableName = tableName;
    this.branch = branch;
    this.everyCheckpoints = everyCheckpoints;
    this.interval = interval;
  }

  @Override
  public boolean commitNow(int checkpointsWaiting, java.time.Duration sinceLastCommit) {
    return checkpointsWaiting >= everyCheckpoints
        || (!interval.isZero() && sinceLastCommit.compareTo(interval) >= 0);
  }

  @Override
  public void commit(long checkpointId, Collection<IcebergCommittable> committables) {
    if (committables.isEmpty()) {
      return;
    }
    if (table == null) {
      table = lakehouse.loadTable(tableName);
    } else {
      table.refresh();
    }
    Map<String, List<IcebergCommittable>> byRun = new LinkedHashMap<>();
    for (IcebergCommittable c : committables) {
      byRun.computeIfAbsent(c.runId(), r -> new ArrayList<>()).add(c);
    }
    for (var run : byRun.entrySet()) {
      long committed = highestCommitted(run.getKey());
      List<IcebergCommittable> todo = run.getValue().stream()
          .filter(c -> c.checkpointId() > committed).toList();
      if (todo.isEmpty()) {
        LOG.info("{}: checkpoint {} of run {} is committed already (up to {}); skipped",
            tableName, checkpointId, run.getKey(), committed);
        continue;
      }
      long id = todo.stream().mapToLong(IcebergCommittable::checkpointId).max().orElseThrow();
      try {
        commitRun(todo, id);
      } catch (RuntimeException e) {
        // The commit may have landed (state unknown): read the table again next time.
        committedByRun.remove(run.getKey());
        throw e;
      }
      committedByRun.put(run.getKey(), id);
    }
  }

  private void commitRun(List<IcebergCommittable> todo, long checkpointId) {
    List<DataFile> data = new ArrayList<>();
    List<DeleteFile> deletes = new ArrayList<>();
    for (IcebergCommittable c : todo) {
      for (StagedFile f : c.files()) {
        if (f.content() == Content.DATA) {
          data.add(StagedFiles.dataFile(f, table));
        } else {
          deletes.add(StagedFiles.deleteFile(f, table));
        }
      }
    }
    IcebergCommittable first = todo.get(0);
    if (deletes.isEmpty()) {
      AppendFiles append = table.newAppend();
      data.forEach(append::appendFile);
      commit(append, first, checkpointId);
    } else {
      RowDelta delta = table.newRowDelta();
      data.forEach(delta::addRows);
      deletes.forEach(delta::addDeletes);
      commit(delta, first, checkpointId);
    }
    LOG.debug("{}: committed checkpoint {} of run {}: {} data and {} delete files", tableName,
        checkpointId, first.runId(), data.size(), deletes.size());
  }

  private <T extends SnapshotUpdate<T>> void commit(T update, IcebergCommittable first,
      long checkpointId) {
    update.set(JOB_ID, first.jobId())
        .set(RUN_ID, first.runId())
        .set(CHECKPOINT_ID, Long.toString(checkpointId))
        .set(SUBTASK, Integer.toString(first.subtask()));
    if (!SnapshotRef.MAIN_BRANCH.equals(branch)) {
      update.toBranch(branch);
    }
    update.commit();
  }

  /** The highest checkpoint id committed by a run on the branch; -1 when none. */
  private long highestCommitted(String runId) {
    Long cached = committedByRun.get(runId);
    if (cached != null) {
      return cached;
    }
    long highest = -1;
    Snapshot snapshot = table.snapshot(branch);
    // Newest first: a run commits in checkpoint order, so its newest snapshot has its highest id.
    while (snapshot != null) {
      Map<String, String> summary = snapshot.summary();
      if (summary != null && runId.equals(summary.get(RUN_ID))) {
        highest = Long.parseLong(summary.get(CHECKPOINT_ID));
        break;
      }
      snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
    committedByRun.put(runId, highest);
    return highest;
  }

  /** Deletes the staged files of a checkpoint that never completed. */
  @Override
  public void abort(long checkpointId, Collection<IcebergCommittable> committables) {
    if (table == null) {
      table = lakehouse.loadTable(tableName);
    }
    for (IcebergCommittable c : committables) {
      if (c.checkpointId() <= highestCommitted(c.runId())) {
        continue; // committed after all: its files belong to the table
      }
      for (StagedFile f : c.files()) {
        try {
          table.io().deleteFile(f.path());
        } catch (RuntimeException e) {
          LOG.warn("{}: cannot delete aborted file {}: {}", tableName, f.path(), e.toString());
        }
      }
    }
  }

  @Override
  public void close() throws Exception {
    lakehouse.close();
  }
}
