package io.weir.lakehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.lakehouse.MaintenanceResult.Compacted;
import io.weir.lakehouse.MaintenanceResult.OrphansRemoved;
import io.weir.lakehouse.MaintenanceResult.SnapshotsExpired;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction, snapshot expiry, orphan files and manifests, read back with Iceberg's reader. */
class MaintenanceTest {
  @TempDir
  Path dir;

  /** Appends ids [from, to) in one checkpoint of an append sink. */
  static void append(SinkDriver driver, long checkpoint, long from, long to) throws Exception {
    for (long id = from; id < to; id++) {
      driver.write(Row.insert(TableFeaturesTest.event(id)));
    }
    driver.checkpoint(checkpoint);
  }

  static List<String> rowsOf(CloseableIterable<Record> rows) {
    List<String> out = new ArrayList<>();
    try (rows) {
      rows.forEach(r -> out.add(r.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  static List<String> rows(Table table) {
    table.refresh();
    return rowsOf(IcebergGenerics.read(table).build());
  }

  static int dataFiles(Table table) {
    table.refresh();
    int n = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask ignored : tasks) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  static int deleteFilesAttached(Table table) {
    table.refresh();
    int n = 0;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask t : tasks) {
        n += t.deletes().size();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  @Test
  void compactionKeepsTheRowsInFewerFilesAndTimeTravelStillWorks() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("db.events", TableDefinition.of(TableFeaturesTest.EVENTS)
          .withPartitioning("day(ts)"));
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "db.events", "s"))) {
        for (int c = 0; c < 8; c++) {
          append(driver, c + 1, c * 30L, c * 30L + 30);
        }
      }
      List<String> before = rows(table);
      assertEquals(240, before.size());
      int filesBefore = dataFiles(table);
      long snapshotBefore = table.currentSnapshot().snapshotId();

      Compacted result = lakehouse.maintenance("db.events").compact();

      assertTrue(result.committed(), result.describe());
      assertEquals(before, rows(table));
      assertEquals(3, dataFiles(table), "one file per day partition");
      assertTrue(filesBefore > 3, "files before " + filesBefore);
      assertEquals(filesBefore, result.dataFilesRewritten());
      assertEquals(3, result.dataFilesAdded());
      assertEquals(before, rowsOf(IcebergGenerics.read(table).useSnapshot(snapshotBefore).build()),
          "time travel to the snapshot before the compaction");

      // nothing left to do: no new snapshot
      Compacted again = lakehouse.maintenance("db.events").compact();
      assertFalse(again.committed(), again.describe());
    }
  }

  @Test
  void compactionOfOnePartitionLeavesTheOthers() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("db.events", TableDefinition.of(TableFeaturesTest.EVENTS)
          .withPartitioning("day(ts)"));
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "db.events", "s"))) {
        for (int c = 0; c < 4; c++) {
          append(driver, c + 1, c * 30L, c * 30L + 30);
        }
      }
      List<String> before = rows(table);
      // event(id) puts id % 3 == 0 on 2026-01-01: only that day's four files are rewritten
      Compacted result = lakehouse.maintenance("db.events").compact(
          Expressions.lessThan("ts", "2026-01-02T00:00:00"), 128L << 20);
      assertEquals(4, result.dataFilesRewritten(), result.describe());
      assertEquals(1, result.dataFilesAdded());
      assertEquals(before, rows(table));
      assertEquals(1 + 4 + 4, dataFiles(table));
    }
  }

  static Map<Long, String> model(Table table) {
    table.refresh();
    Map<Long, String> out = new TreeMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        String previous = out.put((Long) r.getField("id"),
            r.getField("owner") + ":" + r.getField("balance"));
        assertNull(previous, "two rows for key " + r.getField("id"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Random upserts and deletes over {@code keys} keys, one checkpoint every 40 changes. */
  static long upserts(SinkDriver driver, Random random, Map<Long, String> model, int changes,
      long checkpoint) throws Exception {
    for (int op = 0; op < changes; op++) {
      long key = random.nextInt(50);
      if (random.nextInt(5) == 0) {
        driver.write(Row.delete(Map.of("id", key)));
        model.remove(key);
      } else {
        Map<String, Object> values = new HashMap<>();
        values.put("id", key);
        values.put("owner", "o" + random.nextInt(1000));
        values.put("balance", random.nextInt(100_000));
        driver.write(Row.upsert(values));
        model.put(key, values.get("owner") + ":" + values.get("balance"));
      }
      if (op % 40 == 39) {
        driver.checkpoint(++checkpoint);
      }
    }
    driver.checkpoint(++checkpoint);
    return checkpoint;
  }

  @Test
  void compactionAppliesUpsertDeletesAndLaterUpsertsStillApply() throws Exception {
    long seed = System.nanoTime();
    System.out.println("MaintenanceTest upserts seed " + seed);
    Random random = new Random(seed);
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("accounts", TableDefinition.of(UpsertTest.ACCOUNTS)
          .withPrimaryKey("id").withPartitioning("bucket(2, id)"));
      Map<Long, String> expected = new TreeMap<>();
      try (SinkDriver driver = new SinkDriver(IcebergSink.upsert(settings, "accounts", "s"))) {
        long checkpoint = upserts(driver, random, expected, 400, 0);
        assertEquals(expected, model(table), "seed " + seed);
        assertTrue(deleteFilesAttached(table) > 0);
        int filesBefore = dataFiles(table);

        Compacted result = lakehouse.maintenance("accounts").compact();

        assertEquals(expected, model(table), "seed " + seed + " after compaction");
        assertEquals(0, deleteFilesAttached(table), "rewritten files carry no deletes");
        assertTrue(result.deleteFilesRemoved() > 0, result.describe());
        assertTrue(dataFiles(table) <= 2 && dataFiles(table) < filesBefore,
            dataFiles(table) + " files, " + filesBefore + " before");

        upserts(driver, random, expected, 200, checkpoint);
        assertEquals(expected, model(table), "seed " + seed + " upserts after compaction");
        lakehouse.maintenance("accounts").compact();
        assertEquals(expected, model(table), "seed " + seed + " second compaction");
      }
    }
  }

  @Test
  void aCommitBetweenPlanningAndCommittingLosesNoRows() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("events", TableDefinition.of(TableFeaturesTest.EVENTS));
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"))) {
        for (int c = 0; c < 5; c++) {
          append(driver, c + 1, c * 10L, c * 10L + 10);
        }
        Compacted result = lakehouse.maintenance("events")
            .withBeforeCompactionCommit(() -> {
              try {
                append(driver, 6, 50, 70); // a sink commits while the compaction writes
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            })
            .compact();
        assertEquals(1, result.attempts());
        assertEquals(5, result.dataFilesRewritten());
      }
      assertEquals(TableFeaturesTest.range(0, 70), TableFeaturesTest.ids(lakehouse.read("events")));
      assertEquals(2, dataFiles(table), "the compacted file and the concurrent append");
    }
  }

  @Test
  void concurrentUpsertsDuringCompactionStillApplyToTheRewrittenRows() throws Exception {
    long seed = System.nanoTime();
    System.out.println("MaintenanceTest concurrent upserts seed " + seed);
    Random random = new Random(seed);
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("accounts", TableDefinition.of(UpsertTest.ACCOUNTS)
          .withPrimaryKey("id"));
      Map<Long, String> expected = new TreeMap<>();
      try (SinkDriver driver = new SinkDriver(IcebergSink.upsert(settings, "accounts", "s"))) {
        long checkpoint = upserts(driver, random, expected, 300, 0);
        long next = checkpoint;
        Compacted result = lakehouse.maintenance("accounts")
            .withBeforeCompactionCommit(() -> {
              try {
                // equality deletes of keys whose rows are being rewritten
                upserts(driver, random, expected, 100, next);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            })
            .compact();
        assertTrue(result.committed());
        assertEquals(1, result.attempts(), "equality deletes do not conflict");
      }
      assertEquals(expected, model(table), "seed " + seed);
    }
  }

  @Test
  void aConflictingCommitIsRetriedAndAPersistentOneFailsCleanly() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("events", TableDefinition.of(TableFeaturesTest.EVENTS));
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"))) {
        for (int c = 0; c < 4; c++) {
          append(driver, c + 1, c * 10L, c * 10L + 10);
        }
      }
      List<String> before = rows(table);
      AtomicInteger races = new AtomicInteger();
      // the first attempt loses against another compaction of the same files; the second wins
      Compacted result = lakehouse.maintenance("events").withBeforeCompactionCommit(() -> {
        if (races.getAndIncrement() == 0) {
          lakehouse.maintenance("events").compact();
        }
      }).compact();
      assertEquals(2, result.attempts());
      assertFalse(result.committed(), "the other compaction did it: " + result.describe());
      assertEquals(before, rows(table));

      // a conflict every time: a clear error, and the table keeps every row
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s2"))) {
        append(driver, 1, 40, 50);
        append(driver, 2, 50, 60);
      }
      List<String> rows = rows(table);
      ValidationException e = assertThrows(ValidationException.class,
          () -> lakehouse.maintenance("events").withBeforeCompactionCommit(() -> {
            // another writer moves a file being rewritten to a copy: same rows, new file
            Table t = lakehouse.loadTable("events");
            DataFile any = t.newScan().planFiles().iterator().next().file();
            Path copy = Path.of(any.location()).resolveSibling("copy-" + races.incrementAndGet()
                + ".parquet");
            try {
              Files.copy(Path.of(any.location()), copy);
            } catch (IOException io) {
              throw new UncheckedIOException(io);
            }
            t.newRewrite().deleteFile(any)
                .addFile(DataFiles.builder(t.spec()).copy(any).withPath(copy.toString()).build())
                .commit();
          }).compact());
      assertTrue(e.getMessage().contains("conflicted with concurrent commits 3 times"),
          e.getMessage());
      assertEquals(rows, rows(table));
      // the files the compaction wrote were deleted
      assertEquals(List.of(), lakehouse.maintenance("events").findOrphanFiles(Duration.ZERO)
          .stream().map(f -> f.location()).filter(p -> p.contains("compact-")).toList(),
          "compaction output of the failed attempts cleaned up");
    }
  }

  @Test
  void expiryRemovesOldSnapshotsAndTheirFilesButKeepsTheRetainedOnes() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("events", TableDefinition.of(TableFeaturesTest.EVENTS));
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"))) {
        for (int c = 0; c < 4; c++) {
          append(driver, c + 1, c * 10L, c * 10L + 10);
        }
      }
      table.refresh();
      List<Long> ids = new ArrayList<>();
      table.snapshots().forEach(s -> ids.add(s.snapshotId()));
      assertEquals(4, ids.size());
      lakehouse.maintenance("events").compact();
      table.refresh();
      long compacted = table.currentSnapshot().snapshotId();
      long lastBeforeCompaction = ids.get(3);
      lakehouse.createTag("events", "first", ids.get(0));

      SnapshotsExpired result = lakehouse.maintenance("events")
          .expireSnapshots(Duration.ZERO, 2);

      table.refresh();
      assertEquals(List.of(ids.get(1), ids.get(2)), result.expiredSnapshotIds(),
          result.describe());
      assertNull(table.snapshot(ids.get(1)));
      assertThrows(IllegalArgumentException.class,
          () -> lakehouse.readAtSnapshot("events", ids.get(1)));
      assertEquals(TableFeaturesTest.range(0, 40),
          TableFeaturesTest.ids(lakehouse.readAtSnapshot("events", lastBeforeCompaction)),
          "a retained snapshot still travels");
      assertEquals(TableFeaturesTest.range(0, 10),
          TableFeaturesTest.ids(lakehouse.readRef("events", "first")), "a tagged one too");
      assertEquals(TableFeaturesTest.range(0, 40),
          TableFeaturesTest.ids(lakehouse.read("events")));
      assertNotNull(table.snapshot(compacted));
      assertTrue(result.filesDeleted() >= 2, "manifest lists of expired snapshots: "
          + result.describe());

      // retain the last one only, after the tag is gone: the small files go too
      lakehouse.loadTable("events").manageSnapshots().removeTag("first").commit();
      SnapshotsExpired all = lakehouse.maintenance("events").expireSnapshots(Duration.ZERO, 1);
      assertEquals(List.of(ids.get(0), lastBeforeCompaction), all.expiredSnapshotIds());
      assertTrue(all.filesDeleted() >= 4, all.describe());
      assertEquals(TableFeaturesTest.range(0, 40),
          TableFeaturesTest.ids(lakehouse.read("events")));
      assertEquals(0, lakehouse.maintenance("events").findOrphanFiles(Duration.ZERO).stream()
          .filter(f -> f.location().endsWith(".parquet")).count(), "no data file left behind");

      // nothing is older than a day
      assertTrue(lakehouse.maintenance("events").expireSnapshots(Duration.ofDays(1), 1)
          .expiredSnapshotIds().isEmpty());
    }
  }

  @Test
  void orphanFilesOlderThanTheGraceAreRemovedAndYoungerOnesKept() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("events", TableDefinition.of(TableFeaturesTest.EVENTS));
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"))) {
        append(driver, 1, 0, 10);
        append(driver, 2, 10, 20);
      }
      table.refresh();
      Path data = Path.of(table.location()).resolve("data");
      Path old = data.resolve("old-orphan.parquet");
      Path fresh = data.resolve("fresh-orphan.parquet");
      Files.write(old, new byte[100]);
      Files.write(fresh, new byte[50]);
      Instant now = Instant.now();
      Files.setLastModifiedTime(old, FileTime.from(now.minus(Duration.ofHours(2))));
      // every file of the table is older than an hour, by a clock two hours ahead
      TableMaintenance later = lakehouse.maintenance("events")
          .withClock(java.time.Clock.fixed(now.plus(Duration.ofHours(2)), java.time.ZoneOffset.UTC));
      Files.setLastModifiedTime(fresh, FileTime.from(now.plus(Duration.ofHours(2))));

      OrphansRemoved result = later.removeOrphanFiles(Duration.ofHours(1));

      assertEquals(List.of(old.toAbsolutePath().toString()), result.removedPaths(),
          result.describe());
      assertEquals(100, result.bytesRemoved());
      assertFalse(Files.exists(old));
      assertTrue(Files.exists(fresh), "younger than the grace period");
      assertEquals(TableFeaturesTest.range(0, 20), TableFeaturesTest.ids(lakehouse.read("events")));
      assertEquals(TableFeaturesTest.range(0, 10), TableFeaturesTest.ids(
          lakehouse.readAtSnapshot("events", table.snapshots().iterator().next().snapshotId())));
    }
  }

  @Test
  void aSinksStagedFilesAreNotOrphansWithinTheGraceAndCommitLater() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      lakehouse.createTable("events", TableDefinition.of(TableFeaturesTest.EVENTS));
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"))) {
        append(driver, 1, 0, 10);
        for (long id = 10; id < 20; id++) {
          driver.write(Row.insert(TableFeaturesTest.event(id)));
        }
        List<IcebergCommittable> staged = driver.precommit(2); // on disk, not in the table
        TableMaintenance m = lakehouse.maintenance("events");
        assertEquals(1, m.findOrphanFiles(Duration.ZERO).size(), "the staged file, by age 0");
        assertTrue(m.removeOrphanFiles(Duration.ofMinutes(10)).removedPaths().isEmpty());
        m.compact();
        driver.committer.commit(2, staged);
      }
      assertEquals(TableFeaturesTest.range(0, 20), TableFeaturesTest.ids(lakehouse.read("events")));
    }
  }

  @Test
  void manifestsOfManyCommitsAreRewrittenIntoOne() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("events", TableDefinition.of(TableFeaturesTest.EVENTS));
      try (SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"))) {
        for (int c = 0; c < 5; c++) {
          append(driver, c + 1, c * 10L, c * 10L + 10);
        }
      }
      table.refresh();
      assertEquals(5, table.currentSnapshot().dataManifests(table.io()).size());
      MaintenanceResult.ManifestsRewritten result = lakehouse.maintenance("events")
          .rewriteManifests();
      table.refresh();
      assertEquals(5, result.manifestsReplaced(), result.describe());
      assertEquals(1, result.manifestsAdded());
      assertEquals(1, table.currentSnapshot().dataManifests(table.io()).size());
      assertEquals(TableFeaturesTest.range(0, 50), TableFeaturesTest.ids(lakehouse.read("events")));
      assertEquals(-1, lakehouse.maintenance("events").rewriteManifests().snapshotId());
    }
  }
}
