package io.weir.lakehouse;

import java.util.List;

/**
 * What a {@link TableMaintenance} operation did to a table. Values; every list is immutable.
 */
public sealed interface MaintenanceResult {
  /** The table, as {@code namespace.table}; never null. */
  String table();

  /** One line for people: what changed. */
  String describe();

  /**
   * A compaction.
   *
   * @param snapshotId the snapshot that committed the rewrite, or -1 when nothing needed one
   * @param dataFilesRewritten data files replaced
   * @param bytesRewritten their total size
   * @param deleteFilesRemoved delete files (merge-on-read deletes) removed, as no data file
   *     they applied to remains
   * @param dataFilesAdded data files written in their place
   * @param bytesAdded their total size
   * @param attempts how many times the rewrite was planned (more than 1 after conflicts with
   *     concurrent commits)
   */
  record Compacted(String table, long snapshotId, int dataFilesRewritten, long bytesRewritten,
      int deleteFilesRemoved, int dataFilesAdded, long bytesAdded, int attempts)
      implements MaintenanceResult {
    /** Whether a snapshot was committed. */
    public boolean committed() {
      return snapshotId != -1;
    }

    @Override
    public String describe() {
      return committed()
          ? "Compacted " + table + ": " + dataFilesRewritten + " data files (" + bytesRewritten
              + " bytes) and " + deleteFilesRemoved + " delete files into " + dataFilesAdded
              + " data files (" + bytesAdded + " bytes) in snapshot " + snapshotId + "."
          : "Nothing to compact in " + table + ".";
    }
  }

  /**
   * A snapshot expiry.
   *
   * @param expiredSnapshotIds the snapshots removed from the table's metadata, in commit order
   * @param filesDeleted files (data, delete, manifest, manifest list) no remaining snapshot
   *     referenced, deleted
   */
  record SnapshotsExpired(String table, List<Long> expiredSnapshotIds, int filesDeleted)
      implements MaintenanceResult {
    /** Copies the list. */
    public SnapshotsExpired {
      expiredSnapshotIds = List.copyOf(expiredSnapshotIds);
    }

    @Override
    public String describe() {
      return "Expired " + expiredSnapshotIds.size() + " snapshot"
          + (expiredSnapshotIds.size() == 1 ? "" : "s") + " of " + table + " and deleted "
          + filesDeleted + " file" + (filesDeleted == 1 ? "" : "s") + ".";
    }
  }

  /**
   * An orphan-file removal.
   *
   * @param removedPaths the files deleted, absolute paths, sorted
   * @param bytesRemoved their total size
   */
  record OrphansRemoved(String table, List<String> removedPaths, long bytesRemoved)
      implements MaintenanceResult {
    /** Copies the list. */
    public OrphansRemoved {
      removedPaths = List.copyOf(removedPaths);
    }

    @Override
    public String describe() {
      return "Removed " + removedPaths.size() + " orphan file"
          + (removedPaths.size() == 1 ? "" : "s") + " (" + bytesRemoved + " bytes) of " + table
          + ".";
    }
  }

  /**
   * A manifest rewrite.
   *
   * @param snapshotId the snapshot that committed it, or -1 when there was nothing to rewrite
   * @param manifestsReplaced data manifests replaced
   * @param manifestsAdded data manifests written in their place
   */
  record ManifestsRewritten(String table, long snapshotId, int manifestsReplaced,
      int manifestsAdded) implements MaintenanceResult {
    @Override
    public String describe() {
      return snapshotId == -1 ? "No manifests to rewrite in " + table + "."
          : "Rewrote " + manifestsReplaced + " manifests of " + table + " into "
              + manifestsAdded + " in snapshot " + snapshotId + ".";
    }
  }
}
