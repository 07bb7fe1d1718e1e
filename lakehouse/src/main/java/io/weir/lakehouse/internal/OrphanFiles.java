package io.weir.lakehouse.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Finds the files under a table's location that no metadata of the table reaches — not the
 * metadata files (current and logged previous ones), manifest lists, manifests, data and
 * delete files of any snapshot still in the metadata, nor statistics files — and that are
 * older than a cutoff, so that a writer's files not committed yet (staged for a checkpoint)
 * are never taken. Iceberg's core has the reachability helpers ({@link ReachableFileUtil})
 * but its orphan-file action runs on Spark; the listing is the table's own {@code FileIO}.
 *
 * <p>Blocks; reads every manifest of every snapshot.
 */
public final class OrphanFiles {
  private OrphanFiles() {}

  /**
   * The orphans of a table.
   *
   * @param olderThanMillis only files last modified before this time (epoch milliseconds)
   * @return absolute paths with their sizes, sorted by path
   * @throws IllegalStateException when the table's {@code FileIO} cannot list files
   */
  public static List<FileInfo> find(Table table, long olderThanMillis) {
    if (!(table.io() instanceof SupportsPrefixOperations io)) {
      throw new IllegalStateException("the file IO of table " + table.name() + " ("
          + table.io().getClass().getName() + ") cannot list files");
    }
    table.refresh();
    Set<String> reachable = reachable(table);
    List<FileInfo> orphans = new ArrayList<>();
    // with the separator: an object store lists by key prefix, and table "t" is a prefix of "t2"
    String location = table.location().endsWith("/") ? table.location()
        : table.location() + "/";
    for (FileInfo f : io.listPrefix(location)) {
      if (f.location().endsWith("/")) {
        continue; // an object store's directory marker, not a file
      }
      if (f.createdAtMillis() < olderThanMillis && !reachable.contains(normalize(f.location()))) {
        orphans.add(f);
      }
    }
    orphans.sort((a, b) -> a.location().compareTo(b.location()));
    return orphans;
  }

  private static Set<String> reachable(Table table) {
    Set<String> paths = new HashSet<>();
    ReachableFileUtil.metadataFileLocations(table, true).forEach(p -> paths.add(normalize(p)));
    ReachableFileUtil.statisticsFilesLocations(table).forEach(p -> paths.add(normalize(p)));
    Set<String> manifests = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.manifestListLocation() != null) {
        paths.add(normalize(snapshot.manifestListLocation()));
      }
      for (ManifestFile manifest : snapshot.allManifests(table.io())) {
        if (manifests.add(manifest.path())) {
          paths.add(normalize(manifest.path()));
          try {
            if (manifest.content() == ManifestContent.DATA) {
              try (CloseableIterable<String> files =
                  ManifestFiles.readPaths(manifest, table.io(), table.specs())) {
                files.forEach(p -> paths.add(normalize(p)));
              }
            } else {
              try (ManifestReader<DeleteFile> deletes =
                  ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
                deletes.forEach(d -> paths.add(normalize(d.location())));
              }
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    return paths;
  }

  private static String normalize(String location) {
    if (location.contains("://") && !location.startsWith("file:")) {
      return location; // an object store's key: as written
    }
    return LocalFileIO.toFile(location).toPath().toAbsolutePath().normalize().toString();
  }
}
