package io.weir.lakehouse;

import io.weir.lakehouse.internal.LocalFileIO;
import io.weir.lakehouse.internal.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The lakehouse: Iceberg's JDBC catalog on an H2 file under
 * {@link LakehouseSettings#directory()} (or a shared PostgreSQL one), tables under its
 * {@code warehouse} directory, written through a local-disk {@code FileIO}, or in an
 * S3-compatible object store ({@code s3://bucket/prefix}, Iceberg's {@code S3FileIO}). Table
 * names are {@code namespace.table} or a bare {@code table} (in namespace {@code default}).
 *
 * <p>Thread-safe; every method blocks on the catalog database, the disk or the object store.
 * Tables returned are Iceberg's own {@link Table}: snapshots, branches and tags
 * ({@code manageSnapshots()}) are used through it directly; partition and schema changes with
 * checks go through {@link #evolve}; the methods here cover the common cases.
 */
public final class Lakehouse implements AutoCloseable {
  /** The namespace of table names without one. */
  public static final String DEFAULT_NAMESPACE = "default";

  private static final Object OPEN_LOCK = new Object();

  private final LakehouseSettings settings;
  private final JdbcCatalog catalog;

  private Lakehouse(LakehouseSettings settings, JdbcCatalog catalog) {
    this.settings = settings;
    this.catalog = catalog;
  }

  /**
   * Opens (creating when missing) the catalog: the embedded one under the settings' directory,
   * or the shared one the settings name.
   *
   * @param settings never null
   * @return the open lakehouse; close it
   * @throws UncheckedIOException when the directory cannot be created
   */
  public static Lakehouse open(LakehouseSettings settings) {
    Map<String, String> properties = new HashMap<>();
    if (settings.objectStore()) {
      properties.put(CatalogProperties.WAREHOUSE_LOCATION, settings.warehouseLocation());
      properties.putAll(ObjectStore.fileIoProperties(settings.s3()));
    } else {
      try {
        Files.createDirectories(settings.warehouse());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + settings.warehouse(), e);
      }
      properties.put(CatalogProperties.WAREHOUSE_LOCATION,
          settings.warehouse().toAbsolutePath().toString());
      properties.put(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
    }
    if (settings.catalog().isEmpty()) {
      // DATABASE_TO_LOWER: the catalog looks its columns up in lower case when it opens an
      // existing database; with H2's default upper case it tries to add them again and fails.
      properties.put(CatalogProperties.URI, "jdbc:h2:file:"
          + settings.directory().toAbsolutePath().resolve("catalog") + ";DATABASE_TO_LOWER=TRUE");
      properties.put("jdbc.user", "sa");
      properties.put("jdbc.password", "");
    } else {
      // A catalog the nodes share: Iceberg's JDBC catalog keeps each table's current metadata
      // location in a row it swaps atomically, so commits from several nodes stay serialized.
      properties.put(CatalogProperties.URI, settings.catalog());
      properties.put("jdbc.user", settings.catalogUser());
      properties.put("jdbc.password", settings.catalogPassword());
    }
    properties.put("jdbc.schema-version", "V1");
    JdbcCatalog catalog = new JdbcCatalog();
    // Opening checks and creates the catalog's tables: two first opens of one H2 database at
    // the same time (a sink writer and the maintenance schedule) fail inside H2, so opens in
    // this JVM take turns. Opening is a few milliseconds.
    synchronized (OPEN_LOCK) {
      catalog.initialize(settings.catalogName(), properties);
    }
    return new Lakehouse(settings, catalog);
  }

  /** The settings this lakehouse was opened with. */
  public LakehouseSettings settings() {
    return settings;
  }

  /** Iceberg's catalog, for what this class does not cover. */
  public JdbcCatalog catalog() {
    return catalog;
  }

  /**
   * Creates a table (and its namespace when missing).
   *
   * @param name {@code namespace.table} or {@code table}
   * @param definition columns, partitioning, primary key, format version
   * @return the new table
   * @throws org.apache.iceberg.exceptions.AlreadyExistsException when the table exists
   */
  public Table createTable(String name, TableDefinition definition) {
    TableIdentifier id = identifier(name);
    if (!catalog.namespaceExists(id.namespace())) {
      try {
        catalog.createNamespace(id.namespace());
      } catch (org.apache.iceberg.exceptions.AlreadyExistsException raced) {
        // created by another caller meanwhile
      }
    }
    Map<String, String> properties = new HashMap<>();
    properties.put(TableProperties.FORMAT_VERSION, String.valueOf(definition.formatVersion()));
    properties.put(TableProperties.COMMIT_NUM_RETRIES, String.valueOf(settings.commitRetries()));
    properties.put(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        String.valueOf(settings.targetFileSizeBytes()));
    properties.putAll(definition.properties());
    return catalog.buildTable(id, definition.schemaWithKey())
        .withPartitionSpec(definition.partitionSpec())
        .withProperties(properties)
        .create();
  }

  /**
   * Loads a table.
   *
   * @throws org.apache.iceberg.exceptions.NoSuchTableException when there is none
   */
  public Table loadTable(String name) {
    return catalog.loadTable(identifier(name));
  }

  /** Whether the table exists. */
  public boolean tableExists(String name) {
    return catalog.tableExists(identifier(name));
  }

  /** Every table of every namespace, as {@code namespace.table}, sorted. */
  public List<String> listTables() {
    List<String> names = new ArrayList<>();
    for (Namespace ns : catalog.listNamespaces()) {
      for (TableIdentifier id : catalog.listTables(ns)) {
        names.add(id.toString());
      }
    }
    names.sort(null);
    return names;
  }

  /**
   * Drops a table from the catalog, and its files with {@code purge}.
   *
   * @return whether it existed
   */
  public boolean dropTable(String name, boolean purge) {
    return catalog.dropTable(identifier(name), purge);
  }

  /** Every row of the table's current snapshot, read with Iceberg's generic reader. */
  public List<Record> read(String name) {
    return collect(IcebergGenerics.read(loadTable(name)).build());
  }

  /** Time travel: every row as of a snapshot. */
  public List<Record> readAtSnapshot(String name, long snapshotId) {
    return collect(IcebergGenerics.read(loadTable(name)).useSnapshot(snapshotId).build());
  }

  /** Time travel: every row as of the snapshot current at a time (epoch milliseconds). */
  public List<Record> readAsOf(String name, long timestampMillis) {
    return collect(IcebergGenerics.read(loadTable(name)).asOfTime(timestampMillis).build());
  }

  /** Every row of a branch or tag. */
  public List<Record> readRef(String name, String branchOrTag) {
    Table table = loadTable(name);
    org.apache.iceberg.Snapshot head = table.snapshot(branchOrTag);
    if (head == null) {
      throw new IllegalArgumentException("table " + name + " has no branch or tag '"
          + branchOrTag + "'");
    }
    return collect(IcebergGenerics.read(table).useSnapshot(head.snapshotId()).build());
  }

  /** Makes an earlier snapshot (an ancestor of the current one) current again. */
  public void rollbackTo(String name, long snapshotId) {
    loadTable(name).manageSnapshots().rollbackTo(snapshotId).commit();
  }

  /** Creates a branch at a snapshot. */
  public void createBranch(String name, String branch, long snapshotId) {
    loadTable(name).manageSnapshots().createBranch(branch, snapshotId).commit();
  }

  /** Creates a tag at a snapshot. */
  public void createTag(String name, String tag, long snapshotId) {
    loadTable(name).manageSnapshots().createTag(tag, snapshotId).commit();
  }

  /**
   * Maintenance of a table (compaction, snapshot expiry, orphan files, manifests), on the
   * system clock.
   *
   * @param name {@code namespace.table} or {@code table}; the table is loaded by each operation
   */
  public TableMaintenance maintenance(String name) {
    return new TableMaintenance(this, name, java.time.Clock.systemUTC());
  }

  /**
   * Explicit partition and schema changes of a table (add or remove a partition field; rename,
   * drop or widen a column).
   *
   * @param name {@code namespace.table} or {@code table}; the table is loaded by each change
   */
  public TableEvolution evolve(String name) {
    return new TableEvolution(this, name);
  }

  /** Closes the catalog's connections. */
  @Override
  public void close() throws IOException {
    catalog.close();
  }

  /** {@code ns.table} or {@code table} as an identifier. */
  public static TableIdentifier identifier(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("table name must not be blank");
    }
    return name.contains(".") ? TableIdentifier.parse(name)
        : TableIdentifier.of(Namespace.of(DEFAULT_NAMESPACE), name);
  }

  private static List<Record> collect(CloseableIterable<Record> rows) {
    List<Record> out = new ArrayList<>();
    try (rows) {
      for (Record r : rows) {
        out.add(r.copy());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
