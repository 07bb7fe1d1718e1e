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
 * @param catalog where the catalog lives: empty for the embedded H2 file under
 *     {@code directory}; a JDBC URL (PostgreSQL) for a catalog nodes share
 * @param catalogUser the shared catalog's user; empty with the embedded one
 * @param catalogPassword the shared catalog's password
 * @param warehouseLocation where table files go: empty for {@code directory/warehouse}; with a
 *     shared catalog, a directory every node reaches (a shared file system)
 */
public record LakehouseSettings(Path directory, String catalogName, long targetFileSizeBytes,
    int commitRetries, String catalog, String catalogUser, String catalogPassword,
    String warehouseLocation) {
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
    catalog = catalog == null ? "" : catalog;
    catalogUser = catalogUser == null ? "" : catalogUser;
    catalogPassword = catalogPassword == null ? "" : catalogPassword;
    warehouseLocation = warehouseLocation == null ? "" : warehouseLocation;
    if (!catalog.isEmpty() && !catalog.startsWith("jdbc:")) {
      throw new IllegalArgumentException("catalog must be empty (the embedded one) or a JDBC URL,"
          + " was '" + catalog + "'");
    }
    if (commitRetries < 0) {
      throw new IllegalArgumentException("commit-retries must be at least 0: " + commitRetries);
    }
  }

  /** Settings with the embedded catalog and warehouse under {@code directory}. */
  public LakehouseSettings(Path directory, String catalogName, long targetFileSizeBytes,
      int commitRetries) {
    this(directory, catalogName, targetFileSizeBytes, commitRetries, "", "", "", "");
  }

  /** The defaults, with the given directory. */
  public static LakehouseSettings at(Path directory) {
    return new LakehouseSettings(directory, "weir", 128L * 1024 * 1024, 20);
  }

  /** Reads {@code weir.lakehouse} from a configuration that has the module's reference. */
  public static LakehouseSettings fromConfig(Config config) {
    Config c = config.getConfig("weir.lakehouse");
    return new LakehouseSettings(Path.of(c.getString("directory")), c.getString("catalog-name"),
        c.getBytes("target-file-size"), c.getInt("commit-retries"), c.getString("catalog.uri"),
        c.getString("catalog.user"), c.getString("catalog.password"),
        c.getString("warehouse"));
  }

  /** The same settings with another target file size. */
  public LakehouseSettings withTargetFileSizeBytes(long bytes) {
    return new LakehouseSettings(directory, catalogName, bytes, commitRetries, catalog,
        catalogUser, catalogPassword, warehouseLocation);
  }

  /**
   * The same settings with a catalog nodes share (Iceberg's JDBC catalog on PostgreSQL) and a
   * warehouse every node reaches.
   *
   * @param jdbcUrl the catalog database, e.g. {@code jdbc:postgresql://db:5432/weir}
   * @param user its user
   * @param password its password
   * @param warehouse the shared warehouse directory
   */
  public LakehouseSettings withSharedCatalog(String jdbcUrl, String user, String password,
      Path warehouse) {
    return new LakehouseSettings(directory, catalogName, targetFileSizeBytes, commitRetries,
        jdbcUrl, user, password, warehouse.toString());
  }

  /** Where table files go. */
  public Path warehouse() {
    return warehouseLocation.isEmpty() ? directory.resolve("warehouse")
        : Path.of(warehouseLocation);
  }
}
