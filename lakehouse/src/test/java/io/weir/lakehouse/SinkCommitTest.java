package io.weir.lakehouse;

import static io.weir.lakehouse.TableFeaturesTest.EVENTS;
import static io.weir.lakehouse.TableFeaturesTest.event;
import static io.weir.lakehouse.TableFeaturesTest.ids;
import static io.weir.lakehouse.TableFeaturesTest.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer's exactly-once rules, driven without a job. */
class SinkCommitTest {
  @TempDir
  Path dir;

  private static int snapshots(Table table) {
    table.refresh();
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }

  /** The committables as they come back from a checkpoint (CBOR, as the journal keeps them). */
  static List<IcebergCommittable> roundTrip(List<IcebergCommittable> committables)
      throws Exception {
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    List<IcebergCommittable> out = new ArrayList<>();
    for (IcebergCommittable c : committables) {
      out.add(cbor.readValue(cbor.writeValueAsBytes(c), IcebergCommittable.class));
    }
    return out;
  }

  @Test
  void aCommitRepeatedAfterACrashAddsNoSnapshot() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("events", TableDefinition.of(EVENTS)
          .withPartitioning("day(ts)"));
      IcebergSink sink = IcebergSink.append(settings, "events", "sink-1");
      SinkDriver driver = new SinkDriver(sink);
      for (long i = 0; i < 100; i++) {
        driver.write(Row.insert(event(i)));
      }
      List<IcebergCommittable> staged = driver.precommit(1);
      assertEquals(1, staged.size());
      driver.committer.commit(1, staged);
      assertEquals(1, snapshots(table));
      // The runtime did not record the commit (crash before the acknowledgement): after the
      // restart a new committer gets the restored committables again.
      driver.committer.commit(1, staged);
      SinkDriver restarted = new SinkDriver(sink);
      restarted.committer.commit(1, roundTrip(staged));
      assertEquals(1, snapshots(table));
      assertEquals(range(0, 100), ids(lakehouse.read("events")));

      // The restarted writer goes on with later checkpoints.
      for (long i = 100; i < 150; i++) {
        restarted.write(Row.insert(event(i)));
      }
      restarted.checkpoint(2);
      restarted.committer.commit(1, roundTrip(staged));
      assertEquals(2, snapshots(table));
      assertEquals(range(0, 150), ids(lakehouse.read("events")));
      driver.close();
      restarted.close();

      // The same job submitted again starts at checkpoint 1: a new run, committed.
      SinkDriver resubmitted = new SinkDriver(sink);
      resubmitted.write(Row.insert(event(150)));
      resubmitted.checkpoint(1);
      resubmitted.close();
      assertEquals(3, snapshots(table));
      assertEquals(range(0, 151), ids(lakehouse.read("events")));
    }
  }

  @Test
  void aRetriedCheckpointIdCommitsBothStagingsOnce() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("events", TableDefinition.of(EVENTS));
      SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"));
      for (long i = 0; i < 10; i++) {
        driver.write(Row.insert(event(i)));
      }
      List<IcebergCommittable> all = driver.precommit(7); // checkpoint 7 abandoned
      for (long i = 10; i < 20; i++) {
        driver.write(Row.insert(event(i)));
      }
      all.addAll(driver.precommit(7)); // retried with the same id; the runtime keeps both
      driver.committer.commit(7, all);
      driver.committer.commit(7, all);
      driver.close();
      assertEquals(1, snapshots(table));
      assertEquals(range(0, 20), ids(lakehouse.read("events")));
    }
  }

  @Test
  void parallelSubtasksCommitApartAndFilesRollBySize() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("events", TableDefinition.of(EVENTS)
          .withProperty(TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, "1"));
      IcebergSink sink = IcebergSink.append(settings, "events", "s");
      SinkDriver zero = new SinkDriver(sink, 0);
      SinkDriver one = new SinkDriver(sink, 1);
      for (long i = 0; i < 5000; i++) {
        (i % 2 == 0 ? zero : one).write(Row.insert(event(i)));
      }
      List<IcebergCommittable> staged = zero.checkpoint(1).stream().toList();
      one.checkpoint(1);
      zero.close();
      one.close();
      assertEquals(2, snapshots(table));
      // Writers roll past the target size (checked every 1,000 rows): 2,500 rows, 3 files.
      assertTrue(staged.get(0).files().size() >= 2, staged.get(0).files().size() + " files");
      assertEquals(range(0, 5000), ids(lakehouse.read("events")));
      for (Snapshot s : table.snapshots()) {
        assertEquals("1", s.summary().get("weir.checkpoint-id"));
      }
    }
  }

  @Test
  void abortDeletesTheStagedFiles() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      lakehouse.createTable("events", TableDefinition.of(EVENTS));
      SinkDriver driver = new SinkDriver(IcebergSink.append(settings, "events", "s"));
      driver.write(Row.insert(event(1)));
      List<IcebergCommittable> staged = driver.precommit(1);
      Path file = Path.of(staged.get(0).files().get(0).path().replaceFirst("^file:", ""));
      assertTrue(java.nio.file.Files.exists(file));
      driver.committer.abort(1, staged);
      driver.committer.abort(1, staged);
      driver.close();
      assertTrue(java.nio.file.Files.notExists(file));
      assertEquals(0, lakehouse.read("events").size());
    }
  }

  @Test
  void aSinkCommitsToABranchLeavingMainAlone() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      lakehouse.createTable("events", TableDefinition.of(EVENTS));
      SinkDriver main = new SinkDriver(IcebergSink.append(settings, "events", "main"));
      main.write(Row.insert(event(0)));
      main.checkpoint(1);
      main.close();
      SinkDriver staging = new SinkDriver(IcebergSink.append(settings, "events", "staging")
          .toBranch("staging"));
      for (long i = 1; i < 10; i++) {
        staging.write(Row.insert(event(i)));
      }
      List<IcebergCommittable> staged = staging.precommit(1);
      staging.committer.commit(1, staged);
      staging.committer.commit(1, staged);
      staging.close();
      assertEquals(range(0, 1), ids(lakehouse.read("events")));
      // A branch created by a commit starts from main's head.
      assertEquals(range(0, 10), ids(lakehouse.readRef("events", "staging")));
    }
  }

  /**
   * One commit call carrying several checkpoints of upserts (the commit cadence, or a global
   * committer catching up after a restore): a key upserted at checkpoint 1 and again at 2 keeps
   * only the second row, as each checkpoint's equality deletes go in a snapshot after the one of
   * the data they delete; and two writers' files of one checkpoint share a snapshot.
   */
  @Test
  void upsertsOfSeveralCheckpointsInOneCommitKeepTheLastRowOfEachKey() throws Exception {
    LakehouseSettings settings = LakehouseSettings.at(dir);
    try (Lakehouse lakehouse = Lakehouse.open(settings)) {
      Table table = lakehouse.createTable("accounts", TableDefinition.of(UpsertTest.ACCOUNTS)
          .withPrimaryKey("id"));
      IcebergSink sink = IcebergSink.upsert(settings, "accounts", "sink-1");
      try (SinkDriver a = new SinkDriver(sink, 0); SinkDriver b = new SinkDriver(sink, 1)) {
        List<IcebergCommittable> staged = new ArrayList<>();
        for (long cp = 1; cp <= 3; cp++) {
          a.write(Row.upsert(java.util.Map.of("id", 1L, "owner", "a" + cp, "balance", 1)));
          b.write(Row.upsert(java.util.Map.of("id", 2L, "owner", "b" + cp, "balance", 2)));
          staged.addAll(a.precommit(cp));
          staged.addAll(b.precommit(cp));
        }
        a.committer.commit(3, roundTrip(staged));
        assertEquals(java.util.Map.of(1L, "a3:1", 2L, "b3:2"), UpsertTest.tableAsMap(table));
        assertEquals(3, snapshots(table), "a snapshot per checkpoint, both writers in each");
        a.committer.commit(3, roundTrip(staged));
        assertEquals(3, snapshots(table), "a repeated commit adds nothing");
      }
    }
  }
}
