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
 * @param warehouseLocation where table files go: empty for {@code directory/warehouse}; a
 *     directory (with a shared catalog, one every node reaches), or an object store location
 *     {@code s3://bucket/prefix} reached as {@code s3} says
 * @param s3 how to reach the object store of an {@code s3://} warehouse; never null (nulls
 *     become {@link S3Settings#defaults()})
 */
public record LakehouseSettings(Path directory, String catalogName, long targetFileSizeBytes,
    int commitRetries, String catalog, String catalogUser, String catalogPassword,
    String warehouseLocation, S3Settings s3) {
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
    warehouseLocation = warehouseLocation == null ? "" : warehouseLocation.trim();
    s3 = s3 == null ? S3Settings.defaults() : s3;
    if (warehouseLocation.startsWith("s3a://") || warehouseLocation.startsWith("s3n://")) {
      throw new IllegalArgumentException("warehouse: write s3://bucket/prefix (Iceberg's"
          + " S3FileIO), was '" + warehouseLocation + "'");
    }
    if (warehouseLocation.startsWith("s3://")
        && !warehouseLocation.matches("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?")) {
      throw new IllegalArgumentException("warehouse: not an s3://bucket/prefix location: '"
          + warehouseLocation + "'");
    }
    if (!warehouseLocation.startsWith("s3://") && warehouseLocation.contains("://")) {
      throw new IllegalArgumentException("warehouse: a directory or s3://bucket/prefix, was '"
          + warehouseLocation + "'");
    }
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
    this(directory, catalogName, targetFileSizeBytes, commitRetries, "", "", "", "",
        S3Settings.defaults());
  }

  /** Settings with a shared catalog and a warehouse, without object store settings. */
  public LakehouseSettings(Path directory, String catalogName, long targetFileSizeBytes,
      int commitRetries, String catalog, String catalogUser, String catalogPassword,
      String warehouseLocation) {
    this(directory, catalogName, targetFileSizeBytes, commitRetries, catalog, catalogUser,
        catalogPassword, warehouseLocation, S3Settings.defaults());
  }

  /** The defaults, with the given directory. */
  public static LakehouseSettings at(Path directory) {
    return new LakehouseSettings(directory, "weir", 128L * 1024 * 1024, 20);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * These settings as one job argument (JSON of every setting), so that a job's Iceberg sink
   * opens the same catalog and warehouse on whichever node runs it. Read back with
   * {@link #fromArgument}. Holds the catalog's password and the object store's secret key:
   * show a job's arguments through {@link #describeArgument}.
   */
  public String toArgument() {
    try {
      return JSON.writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the lakehouse settings", e);
    }
  }

  /**
   * The settings {@link #toArgument} wrote; a plain directory (as jobs that predate it pass)
   * stands for the embedded catalog there.
   *
   * @throws IllegalArgumentException when the argument is neither
   */
  public static LakehouseSettings fromArgument(String argument) {
    if (!argument.startsWith("{")) {
      return at(Path.of(argument));
    }
    try {
      return JSON.readValue(argument, LakehouseSettings.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("unreadable lakehouse settings: " + e.getMessage(), e);
    }
  }

  /**
   * An argument of {@link #toArgument} as people read it: the embedded catalog's directory, or
   * the shared catalog's URL and the warehouse; never a secret.
   */
  public static String describeArgument(String argument) {
    try {
      LakehouseSettings lake = fromArgument(argument);
      return lake.catalog().isEmpty() ? lake.directory().toString()
          : lake.catalog() + " " + lake.warehouseLocation();
    } catch (RuntimeException e) {
      return "(lakehouse settings)";
    }
  }

  /** Reads {@code weir.lakehouse} from a configuration that has the module's reference. */
  public static LakehouseSettings fromConfig(Config config) {
    Config c = config.getConfig("weir.lakehouse");
    return new LakehouseSettings(Path.of(c.getString("directory")), c.getString("catalog-name"),
        c.getBytes("target-file-size"), c.getInt("commit-retries"), c.getString("catalog.uri"),
        c.getString("catalog.user"), c.getString("catalog.password"),
        c.getString("warehouse"), S3Settings.fromConfig(c.getConfig("s3")));
  }

  /** The same settings with another target file size. */
  public LakehouseSettings withTargetFileSizeBytes(long bytes) {
    return new LakehouseSettings(directory, catalogName, bytes, commitRetries, catalog,
        catalogUser, catalogPassword, warehouseLocation, s3);
  }

  /**
   * The same settings with table files in an S3-compatible object store (the catalog stays as
   * it is: the embedded one, or a shared one).
   *
   * @param location {@code s3://bucket/prefix}
   * @param s3 the endpoint, region and credentials
   */
  public LakehouseSettings withObjectStore(String location, S3Settings s3) {
    if (!location.startsWith("s3://")) {
      throw new IllegalArgumentException("an object store warehouse is s3://bucket/prefix, was '"
          + location + "'");
    }
    return new LakehouseSettings(directory, catalogName, targetFileSizeBytes, commitRetries,
        catalog, catalogUser, catalogPassword, location, s3);
  }

  /** Whether table files go to an object store ({@code s3://}) rather than a directory. */
  public boolean objectStore() {
    return warehouseLocation.startsWith("s3://");
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
        jdbcUrl, user, password, warehouse.toString(), s3);
  }

  /**
   * The same settings with a catalog nodes share and table files in an object store.
   *
   * @param location {@code s3://bucket/prefix}
   */
  public LakehouseSettings withSharedCatalog(String jdbcUrl, String user, String password,
      String location, S3Settings s3) {
    return new LakehouseSettings(directory, catalogName, targetFileSizeBytes, commitRetries,
        jdbcUrl, user, password, "", s3).withObjectStore(location, s3);
  }

  /**
   * Where table files go, as a directory.
   *
   * @throws IllegalStateException with an object store warehouse (see {@link #objectStore()})
   */
  public Path warehouse() {
    if (objectStore()) {
      throw new IllegalStateException("the warehouse is an object store: " + warehouseLocation);
    }
    return warehouseLocation.isEmpty() ? directory.resolve("warehouse")
        : Path.of(warehouseLocation);
  }
}
