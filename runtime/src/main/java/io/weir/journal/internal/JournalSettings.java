package io.weir.journal.internal;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of one segment journal plugin block, parsed once from its configuration.
 *
 * @param dir the directory that holds one sub-directory per persistence id, never null
 * @param segmentBytes the size at which the tail segment is rolled; 1 KiB to 1 GiB
 * @param fsync when writes are forced to the device, never null
 * @param fsyncInterval how often dirty files are forced under {@link FsyncPolicy#INTERVAL};
 *     positive, never null
 * @param indexIntervalBytes the spacing in bytes of the sparse in-memory seqNr index; at least 1
 */
public record JournalSettings(
    Path dir, long segmentBytes, FsyncPolicy fsync, Duration fsyncInterval,
    long indexIntervalBytes) {

  /** The largest segment size accepted; a frame larger than a segment gets a segment alone. */
  public static final long MAX_SEGMENT_BYTES = 1L << 30;

  /** Checks the values; see the record description for the accepted ranges. */
  public JournalSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(fsyncInterval, "fsyncInterval");
    if (segmentBytes < 1024 || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segment-bytes = " + segmentBytes + " is outside 1 KiB .. 1 GiB");
    }
    if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
      throw new IllegalArgumentException("fsync-interval = " + fsyncInterval + " must be positive");
    }
    if (indexIntervalBytes < 1) {
      throw new IllegalArgumentException(
          "index-interval-bytes = " + indexIntervalBytes + " must be at least 1");
    }
  }

  /**
   * Reads the settings from a plugin block such as {@code weir.journal.segments}.
   *
   * @param plugin the plugin block, resolved, never null
   * @param system the actor system's whole configuration, for {@code weir.data-dir} when the
   *     plugin's {@code dir} is empty
   * @return the settings, never null
   * @throws com.typesafe.config.ConfigException if a key is missing or has the wrong type
   * @throws IllegalArgumentException if a value is out of range
   */
  public static JournalSettings fromConfig(Config plugin, Config system) {
    // An empty dir means <weir.data-dir>/log-journal. It is resolved here rather than by a
    // substitution in reference.conf, which would be resolved against reference.conf alone and
    // miss the data directory the node or the application chose.
    String dir = plugin.getString("dir");
    return new JournalSettings(
        (dir.isBlank() ? Path.of(system.getString("weir.data-dir"), "log-journal") : Path.of(dir))
            .toAbsolutePath().normalize(),
        plugin.getBytes("segment-bytes"),
        FsyncPolicy.parse(plugin.getString("fsync")),
        plugin.getDuration("fsync-interval"),
        plugin.getBytes("index-interval-bytes"));
  }
}
