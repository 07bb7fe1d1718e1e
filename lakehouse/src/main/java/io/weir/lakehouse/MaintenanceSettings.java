package io.weir.lakehouse;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The schedule of table maintenance ({@code weir.lakehouse.maintenance} in the configuration):
 * every {@code compactInterval}, each table is compacted, its snapshots past
 * {@code expireAfter} are expired (keeping the last {@code retainLast}), its orphan files past
 * {@code orphanGrace} are removed and, when {@code rewriteManifests}, its manifests rewritten.
 *
 * @param enabled whether a node runs the schedule
 * @param compactInterval time between two maintenance runs of a table; positive
 * @param targetFileSizeBytes size of compacted files; 0 for each table's own
 *     ({@code write.target-file-size-bytes}, else {@code weir.lakehouse.target-file-size})
 * @param expireAfter snapshots older than this may be expired; zero or positive
 * @param retainLast snapshots of the main branch always kept; at least 1. Keep it above a few
 *     checkpoints times the sink parallelism: a sink restored from a checkpoint finds what it
 *     committed by walking the snapshots back
 * @param orphanGrace files younger than this are never orphans; well above the checkpoint
 *     interval, as a sink's files wait for their checkpoint uncommitted
 * @param rewriteManifests whether to rewrite manifests too
 * @param tables the tables maintained ({@code namespace.table}); empty for all tables
 */
public record MaintenanceSettings(boolean enabled, Duration compactInterval,
    long targetFileSizeBytes, Duration expireAfter, int retainLast, Duration orphanGrace,
    boolean rewriteManifests, List<String> tables) {
  /** Validates and copies the list. */
  public MaintenanceSettings {
    Objects.requireNonNull(compactInterval, "compactInterval");
    Objects.requireNonNull(expireAfter, "expireAfter");
    Objects.requireNonNull(orphanGrace, "orphanGrace");
    if (compactInterval.isNegative() || compactInterval.isZero()) {
      throw new IllegalArgumentException("compact-interval must be positive: " + compactInterval);
    }
    if (targetFileSizeBytes < 0) {
      throw new IllegalArgumentException("target-file-size must not be negative: "
          + targetFileSizeBytes);
    }
    if (expireAfter.isNegative()) {
      throw new IllegalArgumentException("expire-after must not be negative: " + expireAfter);
    }
    if (retainLast < 1) {
      throw new IllegalArgumentException("retain-last must be at least 1: " + retainLast);
    }
    if (orphanGrace.isNegative()) {
      throw new IllegalArgumentException("orphan-grace must not be negative: " + orphanGrace);
    }
    tables = List.copyOf(tables);
  }

  /** The defaults of {@code reference.conf}: disabled, hourly, 7 days, last 100, 3 days. */
  public static MaintenanceSettings defaults() {
    return new MaintenanceSettings(false, Duration.ofHours(1), 0, Duration.ofDays(7), 100,
        Duration.ofDays(3), false, List.of());
  }

  /** Reads {@code weir.lakehouse.maintenance} from a configuration with the module's reference. */
  public static MaintenanceSettings fromConfig(Config config) {
    Config c = config.getConfig("weir.lakehouse.maintenance");
    String size = c.getString("target-file-size");
    return new MaintenanceSettings(c.getBoolean("enabled"), c.getDuration("compact-interval"),
        size.equals("table") ? 0 : c.getBytes("target-file-size"), c.getDuration("expire-after"),
        c.getInt("retain-last"), c.getDuration("orphan-grace"),
        c.getBoolean("rewrite-manifests"), c.getStringList("tables"));
  }

  /** The same settings, enabled, with another interval. */
  public MaintenanceSettings withCompactInterval(Duration interval) {
    return new MaintenanceSettings(true, interval, targetFileSizeBytes, expireAfter, retainLast,
        orphanGrace, rewriteManifests, tables);
  }

  /** The same settings with another expiry. */
  public MaintenanceSettings withExpiry(Duration after, int keepLast) {
    return new MaintenanceSettings(enabled, compactInterval, targetFileSizeBytes, after,
        keepLast, orphanGrace, rewriteManifests, tables);
  }

  /** The same settings with another orphan grace period. */
  public MaintenanceSettings withOrphanGrace(Duration grace) {
    return new MaintenanceSettings(enabled, compactInterval, targetFileSizeBytes, expireAfter,
        retainLast, grace, rewriteManifests, tables);
  }

  /** The same settings, maintaining only these tables. */
  public MaintenanceSettings withTables(List<String> names) {
    return new MaintenanceSettings(enabled, compactInterval, targetFileSizeBytes, expireAfter,
        retainLast, orphanGrace, rewriteManifests, names);
  }
}
