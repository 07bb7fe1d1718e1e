package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse in an S3-compatible object store (a real s3proxy server in its own JVM, files on
 * its disk): a job's sink writes a table there, Iceberg's reader reads it back, time travel
 * works, and compaction, snapshot expiry and orphan removal (listing by key prefix) run on it.
 */
class S3WarehouseTest {
  private static final int RECORDS = 2_000;
  private static StreamTestKit kit;
  private static S3Proxy s3;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    s3 = S3Proxy.start(dir.resolve("s3"), "lake");
    kit = new StreamTestKit("weir.stream.batch-size = 8\nweir.stream.exchange-buffer = 1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (kit != null) {
      kit.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  static LakehouseSettings settings(Path directory, String endpoint) {
    return LakehouseSettings.at(directory).withObjectStore("s3://lake/warehouse",
        S3Settings.compatible(endpoint, "us-east-1", S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY));
  }

  /** args: the lakehouse directory (the catalog), the S3 endpoint. */
  public static final class ToS3 implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(500)));
      job.<Long>generate(i -> i, RECORDS).setParallelism(1)
          .map(i -> Row.insert(Map.of("id", i, "kind", i % 3 == 0 ? "a" : "b")))
          .setParallelism(1)
          .sinkTo(IcebergSink.append(settings(Path.of(args.get(0)), args.get(1)), "s3.events",
              "to-s3")).setParallelism(2);
    }
  }

  private static long filesUnder(Path root) throws Exception {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".parquet"))
          .count();
    }
  }

  /** Every object (file) of the backend under a directory. */
  private static long objectsUnder(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static Set<Object> ids(List<Record> rows) {
    Set<Object> ids = new HashSet<>();
    rows.forEach(r -> ids.add(r.getField("id")));
    return ids;
  }

  @Test
  void aJobWritesATableInTheObjectStoreAndMaintenanceRunsOnIt() throws Exception {
    Path catalog = dir.resolve("catalog");
    LakehouseSettings settings = settings(catalog, s3.endpoint());
    try (Lakehouse lake = Lakehouse.open(settings)) {
      Table created = lake.createTable("s3.events", TableDefinition.of(new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "kind", Types.StringType.get())))
          .withPartitioning("kind"));
      assertTrue(created.location().startsWith("s3://lake/warehouse/"), created.location());
      assertTrue(created.io() instanceof S3FileIO, created.io().getClass().getName());
    }

    JobStatus end = kit.run(ToS3.class, catalog.toString(), s3.endpoint());
    assertEquals(JobState.FINISHED, end.state(), end.summary());

    Path tableRoot = s3.root().resolve("lake").resolve("warehouse");
    assertTrue(filesUnder(tableRoot) >= 2, "data files are in the object store's bucket");
    assertFalse(Files.exists(catalog.resolve("warehouse")), "nothing on the local warehouse");

    try (Lakehouse lake = Lakehouse.open(settings)) {
      Table table = lake.loadTable("s3.events");
      List<Record> rows;
      try (CloseableIterable<Record> read = IcebergGenerics.read(table).build()) {
        rows = new java.util.ArrayList<>();
        read.forEach(r -> rows.add(r.copy()));
      }
      assertEquals(RECORDS, rows.size());
      assertEquals(RECORDS, ids(rows).size());

      // time travel: each snapshot holds what was committed up to it
      Snapshot first = null;
      for (Snapshot s : table.snapshots()) {
        first = first == null ? s : first;
      }
      long firstTotal = Long.parseLong(first.summary().get("total-records"));
      assertEquals(firstTotal, lake.readAtSnapshot("s3.events", first.snapshotId()).size());
      long beforeAppend = table.currentSnapshot().snapshotId();
      long beforeAppendMillis = table.currentSnapshot().timestampMillis();

      // one more commit through the sink's writer and committer
      try (SinkDriver more = new SinkDriver(IcebergSink.append(settings, "s3.events", "more"))) {
        for (long i = RECORDS; i < RECORDS + 100; i++) {
          more.write(Row.insert(Map.of("id", i, "kind", "c")));
        }
        more.checkpoint(1);
      }
      assertEquals(RECORDS + 100, lake.read("s3.events").size());
      assertEquals(RECORDS, lake.readAtSnapshot("s3.events", beforeAppend).size());
      assertEquals(RECORDS, lake.readAsOf("s3.events", beforeAppendMillis).size());

      // compaction: fewer files, same rows
      TableMaintenance m = lake.maintenance("s3.events");
      MaintenanceResult.Compacted compacted = m.compact();
      long filesBefore = objectsUnder(tableRoot);
      assertTrue(compacted.dataFilesRewritten() >= 2, compacted.describe());
      assertEquals(ids(lake.readAtSnapshot("s3.events", beforeAppend)).size() + 100,
          ids(lake.read("s3.events")).size());

      // expiry deletes the files only the expired snapshots referenced, from the bucket
      MaintenanceResult.SnapshotsExpired expired = m.expireSnapshots(Duration.ZERO, 1);
      assertFalse(expired.expiredSnapshotIds().isEmpty(), expired.describe());
      assertTrue(expired.filesDeleted() > 0, expired.describe());
      // (the expiry's commit wrote one metadata file)
      assertEquals(filesBefore - expired.filesDeleted() + 1, objectsUnder(tableRoot),
          "the files expiry deleted are gone from the bucket: " + expired.describe());
      assertEquals(1, lake.loadTable("s3.events").history().size());
      assertEquals(RECORDS + 100, lake.read("s3.events").size());

      // orphans: an object under the table's prefix that nothing references; and one under a
      // table whose name extends this one's, which is not this table's
      table.refresh();
      String orphan = table.location() + "/data/orphan-0.parquet";
      String neighbour = table.location() + "2/data/other.parquet";
      for (String path : List.of(orphan, neighbour)) {
        try (OutputStream out = table.io().newOutputFile(path).create()) {
          out.write(new byte[] {1, 2, 3});
        }
      }
      assertTrue(m.findOrphanFiles(Duration.ofHours(1)).isEmpty(), "younger than the grace");
      // the store keeps whole seconds: wait until the orphan is older than now
      Thread.sleep(1_100);
      // found: ours, and what the commits left unreferenced (the metadata files of commits
      // that lost the race between the two sink subtasks, and the files compaction replaced)
      List<String> found = m.findOrphanFiles(Duration.ZERO).stream().map(FileInfo::location)
          .toList();
      assertTrue(found.contains(orphan), found.toString());
      assertFalse(found.stream().anyMatch(p -> p.endsWith("/")), "no directory markers");
      assertFalse(found.contains(neighbour), "another table's prefix is not this one's");
      Set<String> live = new HashSet<>();
      table.refresh();
      try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks =
          table.newScan().planFiles()) {
        tasks.forEach(t -> live.add(t.file().location()));
      }
      assertFalse(live.isEmpty());
      assertTrue(found.stream().noneMatch(live::contains), "no live data file: " + found);
      assertFalse(found.contains(((org.apache.iceberg.HasTableOperations) table).operations()
          .current().metadataFileLocation()));
      MaintenanceResult.OrphansRemoved removed = m.removeOrphanFiles(Duration.ZERO);
      assertEquals(found, removed.removedPaths());
      assertTrue(m.findOrphanFiles(Duration.ZERO).isEmpty());
      assertFalse(Files.exists(tableRoot.resolve(orphan.substring("s3://lake/warehouse/"
          .length()))), "deleted from the bucket");
      assertTrue(Files.exists(tableRoot.resolve(neighbour.substring("s3://lake/warehouse/"
          .length()))), "another prefix is left alone");
      assertEquals(RECORDS + 100, lake.read("s3.events").size());
    }
  }

  @Test
  void settingsComeFromTheConfiguration() {
    LakehouseSettings settings = LakehouseSettings.fromConfig(
        com.typesafe.config.ConfigFactory.parseString("""
            weir.lakehouse.directory = /tmp/lake
            weir.lakehouse.warehouse = "s3://bucket/prefix"
            weir.lakehouse.s3 { endpoint = "http://minio:9000", region = eu-central-1,
              path-style-access = true, access-key-id = k, secret-access-key = s }
            """).withFallback(com.typesafe.config.ConfigFactory.load()));
    assertTrue(settings.objectStore());
    assertEquals(new S3Settings("http://minio:9000", "eu-central-1", true, "k", "s"),
        settings.s3());
    assertFalse(settings.s3().toString().contains("=s]"), "the secret is not printed");
    assertEquals(S3Settings.defaults(), LakehouseSettings.fromConfig(
        com.typesafe.config.ConfigFactory.load()).s3());
    String message = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new S3Settings("", "", false, "k", "")).getMessage();
    assertTrue(message.contains("both access-key-id and secret-access-key"), message);
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> LakehouseSettings.at(Path.of("x")).withObjectStore("s3a://b/p",
            S3Settings.defaults())).getMessage().contains("s3://"));
    assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new S3Settings("minio:9000", "", false, "", "")).getMessage()
        .contains("http:// or https://"));
  }
}
