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
 * Commits a sink's staged files. As the sink's global committer it gets every writer subtask's
 * committables of a checkpoint in one call and commits them in one Iceberg snapshot (an append,
 * or a row delta when there are delete files), with {@value #JOB_ID}, {@value #CHECKPOINT_ID}
 * and {@value #RUNS} in its summary.
 *
 * <p>Idempotence is kept per writer run (each writer mints a run id when it starts, and again
 * at a schema change): {@value #RUNS} lists every run in the snapshot with its highest
 * checkpoint id. Before committing, the committer walks the branch newest first until it has
 * found each run of the committables (or the branch's start), and skips committables at or
 * below their run's highest committed checkpoint, so a commit repeated after a crash between
 * the Iceberg commit and the runtime's record of it is a no-op. Per run rather than per job,
 * because a job has a name but no id: a new job of the same name starts again at checkpoint 1,
 * and a restored run's committables must be checked against that run's commits only.
 *
 * <p>Which files go in one snapshot: all of a call when none is a delete file. With deletes
 * (upserts), one snapshot per checkpoint and writer run generation, in order: an equality
 * delete reaches data of earlier snapshots only (a lower sequence number), so a key written at
 * one checkpoint and upserted at a later one, or before and after a schema change (a new run),
 * must not share a snapshot; within one checkpoint and run the writer deletes by position.
 * Called from one thread.
 */
public final class IcebergCommitter implements Committer<IcebergCommittable> {
  /** Snapshot summary key: the sink's identity, {@code job name/sink id}. */
  public static final String JOB_ID = "weir.job-id";
  /**
   * Snapshot summary key: the writer runs whose files the snapshot holds, each with its highest
   * checkpoint id in it: {@code run:checkpoint,run:checkpoint,...}.
   */
  public static final String RUNS = "weir.runs";
  /** Snapshot summary key: the completed checkpoint whose commit made the snapshot. */
  public static final String CHECKPOINT_ID = "weir.checkpoint-id";
  /** Snapshot summary key of earlier versions, one run per snapshot (still read). */
  static final String RUN_ID = "weir.run-id";

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

  /**
   * Commits what is not committed yet of {@code committables}, in one snapshot (see the class
   * comment for when it takes several).
   *
   * @throws org.apache.iceberg.exceptions.CommitStateUnknownException when the commit may or
   *     may not have landed; the runtime retries, and the retry finds out
   */
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
    Map<String, Long> committed = highestCommitted(committables);
    List<IcebergCommittable> todo = committables.stream()
        .filter(c -> c.checkpointId() > committed.get(c.runId())).toList();
    if (todo.isEmpty()) {
      LOG.info("{}: checkpoint {} is committed already; skipped", tableName, checkpointId);
      return;
    }
    for (List<IcebergCommittable> group : snapshots(todo)) {
      try {
        commitGroup(group, checkpointId);
      } catch (RuntimeException e) {
        // The commit may have landed (state unknown): read the table again next time.
        group.forEach(c -> committedByRun.remove(c.runId()));
        throw e;
      }
      group.forEach(c -> committedByRun.merge(c.runId(), c.checkpointId(), Math::max));
    }
  }

  /** The snapshots to make, in order (see the class comment). */
  private static List<List<IcebergCommittable>> snapshots(List<IcebergCommittable> todo) {
    boolean deletes = todo.stream().flatMap(c -> c.files().stream())
        .anyMatch(f -> f.content() != Content.DATA);
    if (!deletes) {
      return List.of(todo);
    }
    // A writer's runs in the order they came: a later run follows a schema change.
    Map<Integer, List<String>> runsBySubtask = new HashMap<>();
    for (IcebergCommittable c : todo) {
      List<String> runs = runsBySubtask.computeIfAbsent(c.subtask(), s -> new ArrayList<>());
      if (!runs.contains(c.runId())) {
        runs.add(c.runId());
      }
    }
    java.util.TreeMap<Long, java.util.TreeMap<Integer, List<IcebergCommittable>>> groups =
        new java.util.TreeMap<>();
    for (IcebergCommittable c : todo) {
      int generation = runsBySubtask.get(c.subtask()).indexOf(c.runId());
      groups.computeIfAbsent(c.checkpointId(), id -> new java.util.TreeMap<>())
          .computeIfAbsent(generation, g -> new ArrayList<>()).add(c);
    }
    List<List<IcebergCommittable>> ordered = new ArrayList<>();
    groups.values().forEach(byGeneration -> ordered.addAll(byGeneration.values()));
    return ordered;
  }

  private void commitGroup(List<IcebergCommittable> group, long checkpointId) {
    List<DataFile> data = new ArrayList<>();
    List<DeleteFile> deletes = new ArrayList<>();
    Map<String, Long> runs = new LinkedHashMap<>();
    for (IcebergCommittable c : group) {
      runs.merge(c.runId(), c.checkpointId(), Math::max);
      for (StagedFile f : c.files()) {
        if (f.content() == Content.DATA) {
          data.add(StagedFiles.dataFile(f, table));
        } else {
          deletes.add(StagedFiles.deleteFile(f, table));
        }
      }
    }
    if (deletes.isEmpty()) {
      AppendFiles append = table.newAppend();
      data.forEach(append::appendFile);
      commit(append, group.get(0).jobId(), runs, checkpointId);
    } else {
      RowDelta delta = table.newRowDelta();
      data.forEach(delta::addRows);
      deletes.forEach(delta::addDeletes);
      commit(delta, group.get(0).jobId(), runs, checkpointId);
    }
    LOG.debug("{}: committed checkpoint {} of {} runs: {} data and {} delete files", tableName,
        checkpointId, runs.size(), data.size(), deletes.size());
  }

  private <T extends SnapshotUpdate<T>> void commit(T update, String jobId,
      Map<String, Long> runs, long checkpointId) {
    StringBuilder list = new StringBuilder();
    runs.forEach((run, id) -> list.append(list.length() == 0 ? "" : ",").append(run)
        .append(':').append(id));
    update.set(JOB_ID, jobId)
        .set(RUNS, list.toString())
        .set(CHECKPOINT_ID, Long.toString(checkpointId));
    if (!SnapshotRef.MAIN_BRANCH.equals(branch)) {
      update.toBranch(branch);
    }
    update.commit();
  }

  /**
   * The highest checkpoint id committed on the branch by each run of the committables; -1 for
   * a run with none. Walks the branch newest first until every run is found: commits go in
   * checkpoint order, so a run's newest snapshot has its highest id.
   */
  private Map<String, Long> highestCommitted(Collection<IcebergCommittable> committables) {
    Map<String, Long> result = new HashMap<>();
    java.util.Set<String> missing = new java.util.HashSet<>();
    for (IcebergCommittable c : committables) {
      Long cached = committedByRun.get(c.runId());
      if (cached != null) {
        result.put(c.runId(), cached);
      } else {
        missing.add(c.runId());
      }
    }
    Snapshot snapshot = missing.isEmpty() ? null : table.snapshot(branch);
    while (snapshot != null && !missing.isEmpty()) {
      runsOf(snapshot.summary()).forEach((run, id) -> {
        if (missing.remove(run)) {
          result.put(run, id);
        }
      });
      snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
    missing.forEach(run -> result.put(run, -1L));
    committedByRun.putAll(result);
    return result;
  }

  /** The runs a snapshot's summary records, with their checkpoint ids; empty when none. */
  private static Map<String, Long> runsOf(Map<String, String> summary) {
    if (summary == null) {
      return Map.of();
    }
    Map<String, Long> runs = new HashMap<>();
    String list = summary.get(RUNS);
    if (list != null && !list.isEmpty()) {
      for (String entry : list.split(",")) {
        int colon = entry.lastIndexOf(':');
        runs.put(entry.substring(0, colon), Long.parseLong(entry.substring(colon + 1)));
      }
    } else if (summary.get(RUN_ID) != null && summary.get(CHECKPOINT_ID) != null) {
      runs.put(summary.get(RUN_ID), Long.parseLong(summary.get(CHECKPOINT_ID)));
    }
    return runs;
  }

  /** Deletes the staged files of a checkpoint that never completed. */
  @Override
  public void abort(long checkpointId, Collection<IcebergCommittable> committables) {
    if (committables.isEmpty()) {
      return;
    }
    if (table == null) {
      table = lakehouse.loadTable(tableName);
    } else {
      table.refresh();
    }
    Map<String, Long> committed = highestCommitted(committables);
    for (IcebergCommittable c : committables) {
      if (c.checkpointId() <= committed.get(c.runId())) {
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
