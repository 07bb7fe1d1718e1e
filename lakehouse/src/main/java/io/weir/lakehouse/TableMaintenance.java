package io.weir.lakehouse;

import io.weir.lakehouse.MaintenanceResult.Compacted;
import io.weir.lakehouse.MaintenanceResult.ManifestsRewritten;
import io.weir.lakehouse.MaintenanceResult.OrphansRemoved;
import io.weir.lakehouse.MaintenanceResult.SnapshotsExpired;
import io.weir.lakehouse.internal.Compaction;
import io.weir.lakehouse.internal.OrphanFiles;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Maintenance of one table: compaction (small files into larger ones, merge-on-read deletes
 * applied), snapshot expiry, orphan-file removal and manifest rewriting. Each operation is one
 * atomic Iceberg commit (or none), validated against commits made meanwhile, so it can run
 * while a sink writes the table: a sink's commit that loses the race is retried by Iceberg,
 * and a compaction that conflicts is planned again.
 *
 * <p>Immutable and thread-safe; every method blocks on the disk and the catalog. Get one from
 * {@link Lakehouse#maintenance(String)}.
 */
public final class TableMaintenance {
  /** How many times a compaction is planned again after conflicting with another commit. */
  public static final int COMPACTION_ATTEMPTS = 3;

  private final Lakehouse lakehouse;
  private final String name;
  private final Clock clock;
  private final Runnable beforeCompactionCommit;

  TableMaintenance(Lakehouse lakehouse, String name, Clock clock) {
    this(lakehouse, name, clock, () -> { });
  }

  private TableMaintenance(Lakehouse lakehouse, String name, Clock clock,
      Runnable beforeCompactionCommit) {
    this.lakehouse = Objects.requireNonNull(lakehouse, "lakehouse");
    this.name = Lakehouse.identifier(name).toString();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.beforeCompactionCommit = beforeCompactionCommit;
  }

  /** The same maintenance with another clock (for the cutoffs of expiry and orphans). */
  public TableMaintenance withClock(Clock other) {
    return new TableMaintenance(lakehouse, name, other, beforeCompactionCommit);
  }

  /** Tests: runs {@code hook} between writing a compaction's files and committing them. */
  TableMaintenance withBeforeCompactionCommit(Runnable hook) {
    return new TableMaintenance(lakehouse, name, clock, hook);
  }

  /** The table, as {@code namespace.table}. */
  public String table() {
    return name;
  }

  /**
   * Compacts the whole table to its target file size (table property
   * {@code write.target-file-size-bytes}, else the settings' {@code target-file-size}).
   *
   * @see #compact(Expression, long)
   */
  public Compacted compact() {
    Table table = lakehouse.loadTable(name);
    return compact(Expressions.alwaysTrue(), PropertyUtil.propertyAsLong(table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        lakehouse.settings().targetFileSizeBytes()));
  }

  /**
   * Rewrites the data files that overlap {@code filter} (a partition, a range of rows; files
   * are rewritten whole) and are smaller than 75% or larger than 180% of the target size, or
   * carry any delete file, into files of about the target size; groups of fewer than two
   * files without deletes are left alone. Deletes are applied while rewriting, and delete
   * files that applied only to rewritten files are removed, so reads of the result merge no
   * deletes for these rows. One commit; the rows read are the same before and after.
   *
   * @param filter rows whose files to consider, such as {@code Expressions.equal("day", ...)};
   *     never null
   * @param targetFileSizeBytes the size of the files written; positive
   * @return what was rewritten; {@code snapshotId} -1 when nothing needed it
   * @throws ValidationException when concurrent commits conflicted (deleted, rewrote or added
   *     position deletes to files being rewritten) {@value #COMPACTION_ATTEMPTS} times in a row;
   *     the table keeps every row and the files written are deleted
   * @throws org.apache.iceberg.exceptions.CommitStateUnknownException when the catalog did
   *     not answer the commit: it may have happened; nothing is cleaned up
   * @throws org.apache.iceberg.exceptions.NoSuchTableException when the table does not exist
   */
  public Compacted compact(Expression filter, long targetFileSizeBytes) {
    Objects.requireNonNull(filter, "filter");
    if (targetFileSizeBytes <= 0) {
      throw new IllegalArgumentException("target file size must be positive: "
          + targetFileSizeBytes);
    }
    Table table = lakehouse.loadTable(name);
    for (int attempt = 1; ; attempt++) {
      try {
        Compaction.Outcome o = new Compaction(table, filter, targetFileSizeBytes,
            beforeCompactionCommit).run();
        return new Compacted(name, o.snapshotId(), o.dataFilesRewritten(), o.bytesRewritten(),
            o.deleteFilesRemoved(), o.dataFilesAdded(), o.bytesAdded(), attempt);
      } catch (ValidationException conflict) {
        if (attempt >= COMPACTION_ATTEMPTS) {
          throw new ValidationException(conflict, "compaction of %s conflicted with concurrent"
              + " commits %d times; the table is unchanged: %s", name, attempt,
              conflict.getMessage());
        }
      }
    }
  }

  /**
   * Expires the snapshots older than {@code olderThan} (from this maintenance's clock) except
   * the last {@code retainLast} of the main branch and every snapshot a branch or tag still
   * needs, and deletes the files only they referenced. Time travel to an expired snapshot
   * then fails; to the others it still works.
   *
   * @param olderThan age past which a snapshot may go; zero or positive
   * @param retainLast snapshots of the main branch always kept; at least 1
   * @return the expired snapshots and how many files went
   */
  public SnapshotsExpired expireSnapshots(Duration olderThan, int retainLast) {
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
    }
    if (retainLast < 1) {
      throw new IllegalArgumentException("retainLast must be at least 1: " + retainLast);
    }
    Table table = lakehouse.loadTable(name);
    List<Long> before = new ArrayList<>();
    table.snapshots().forEach(s -> before.add(s.snapshotId()));
    AtomicInteger deleted = new AtomicInteger();
    table.expireSnapshots()
        .expireOlderThan(clock.millis() - olderThan.toMillis())
        .retainLast(retainLast)
        .deleteWith(path -> {
          table.io().deleteFile(path);
          deleted.incrementAndGet();
        })
        .commit();
    table.refresh();
    Set<Long> kept = snapshotIds(table);
    List<Long> expired = before.stream().filter(id -> !kept.contains(id)).toList();
    return new SnapshotsExpired(name, expired, deleted.get());
  }

  /**
   * Deletes the files under the table's location that no snapshot, manifest or metadata file
   * of the table references and that were last modified more than {@code grace} ago. The grace
   * period protects files being written and not committed yet (a sink's staged files wait for
   * their checkpoint): keep it well above the checkpoint interval.
   *
   * @param grace minimum age of a file removed; zero or positive
   * @return the files removed
   */
  public OrphansRemoved removeOrphanFiles(Duration grace) {
    List<FileInfo> orphans = findOrphanFiles(grace);
    Table table = lakehouse.loadTable(name);
    List<String> paths = new ArrayList<>();
    long bytes = 0;
    for (FileInfo f : orphans) {
      table.io().deleteFile(f.location());
      paths.add(f.location());
      bytes += f.size();
    }
    return new OrphansRemoved(name, paths, bytes);
  }

  /**
   * The files {@link #removeOrphanFiles} would remove, without removing them.
   *
   * @return absolute paths with their sizes and modification times, sorted by path
   */
  public List<FileInfo> findOrphanFiles(Duration grace) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative: " + grace);
    }
    return OrphanFiles.find(lakehouse.loadTable(name), clock.millis() - grace.toMillis());
  }

  /**
   * Rewrites the data manifests of the current snapshot into as few as the manifest target
   * size allows, clustered by partition spec, in one commit (Iceberg's
   * {@code rewriteManifests()}). Useful after many small commits: planning reads fewer files.
   *
   * @return what was rewritten; {@code snapshotId} -1 when the snapshot has fewer than two
   *     data manifests
   */
  public ManifestsRewritten rewriteManifests() {
    Table table = lakehouse.loadTable(name);
    Snapshot current = table.currentSnapshot();
    if (current == null || current.dataManifests(table.io()).size() < 2) {
      return new ManifestsRewritten(name, -1, 0, 0);
    }
    table.rewriteManifests()
        .rewriteIf(m -> m.content() == ManifestContent.DATA)
        .clusterBy(file -> file.specId())
        .set("weir.maintenance", "rewrite-manifests")
        .commit();
    table.refresh();
    Snapshot done = table.currentSnapshot();
    Map<String, String> summary = done.summary();
    return new ManifestsRewritten(name, done.snapshotId(),
        Integer.parseInt(summary.getOrDefault("manifests-replaced", "0")),
        Integer.parseInt(summary.getOrDefault("manifests-created", "0")));
  }

  /**
   * One maintenance run as a schedule does it: compaction (to the settings' target size, or
   * the table's), then snapshot expiry, orphan-file removal and, when the settings say so,
   * manifest rewriting.
   *
   * @param settings the schedule's settings; {@code enabled} and {@code tables} are not read
   * @return what each step did
   * @throws RuntimeException the first step's failure; the steps after it did not run
   */
  public MaintenanceReport run(MaintenanceSettings settings) {
    Compacted compacted = settings.targetFileSizeBytes() == 0 ? compact()
        : compact(Expressions.alwaysTrue(), settings.targetFileSizeBytes());
    SnapshotsExpired expired = expireSnapshots(settings.expireAfter(), settings.retainLast());
    OrphansRemoved orphans = removeOrphanFiles(settings.orphanGrace());
    ManifestsRewritten manifests = settings.rewriteManifests() ? rewriteManifests() : null;
    return new MaintenanceReport(name, compacted, expired, orphans, manifests);
  }

  private static Set<Long> snapshotIds(Table table) {
    Set<Long> ids = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      ids.add(s.snapshotId());
    }
    return ids;
  }
}
