package io.weir.lakehouse;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The lakehouse's settings ({@code weir.lakehouse} in the configuration).
 *
 * @param directory holds the embedded catalog database and the warehouse; never null
 * @param catalogName the catalog's name; never blank
 * @param targetFileSizeBytes sink writers roll to a new data file past this size; positive
 * @param commitRetries attempts of a commit that lost the race against another writer; at least 0
 */
public record LakehouseSettings(Path directory, String catalogName, long targetFileSizeBytes,
    int commitRetries) {
  /** Validates. */
  public LakehouseSettings {
    Objects.requireNonNull(directory, "directory");
    if (catalogName == null || catalogName.isBlank()) {
      throw new IllegalArgumentException("catalog-name must not be blank");
    }
    if (targetFileSizeBytes <= 0) {
      throw new IllegalArgumentException("target-file-size must be positive: "
          + targetFileSizeBytes);
    }
    if (commitRetries < 0) {
      throw new IllegalArgumentException("commit-retries must be at least 0: " + commitRetries);
    }
  }

  /** The defaults, with the given directory. */
  public static LakehouseSettings at(Path directory) {
    return new LakehouseSettings(directory, "weir", 128L * 1024 * 1024, 20);
  }

  /** Reads {@code weir.lakehouse} from a configuration that has the module's reference. */
  public static LakehouseSettings fromConfig(Config config) {
    Config c = config.getConfig("weir.lakehouse");
    return new LakehouseSettings(Path.of(c.getString("directory")), c.getString("catalog-name"),
        c.getBytes("target-file-size"), c.getInt("commit-retries"));
  }

  /** The same settings with another target file size. */
  public LakehouseSettings withTargetFileSizeBytes(long bytes) {
    return new LakehouseSettings(directory, catalogName, bytes, commitRetries);
  }

  /** Where table files go. */
  public Path warehouse() {
    return directory.resolve("warehouse");
  }
}
