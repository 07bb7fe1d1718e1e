package io.weir.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.TableDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node with {@code weir.lakehouse.maintenance.enabled} compacts the tables of its data dir. */
class LakehouseMaintenanceNodeTest {
  static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()));

  @TempDir Path temp;

  /** Appends one small Parquet file of ids [from, to) in its own commit. */
  static void append(Table table, long from, long to) throws Exception {
    GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET).build();
    String path = table.location() + "/data/" + UUID.randomUUID() + ".parquet";
    DataWriter<Record> writer = writers.newDataWriter(
        org.apache.iceberg.encryption.EncryptedFiles.plainAsEncryptedOutput(
            table.io().newOutputFile(path)), table.spec(), null);
    try (writer) {
      for (long id = from; id < to; id++) {
        GenericRecord r = GenericRecord.create(SCHEMA);
        r.setField("id", id);
        writer.write(r);
      }
    }
    DataFile file = writer.toDataFile();
    table.newAppend().appendFile(file).commit();
  }

  static boolean compacted(Table table) {
    table.refresh();
    for (Snapshot s : table.snapshots()) {
      if ("compact".equals(s.summary().get("weir.maintenance"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theScheduleCompactsATableOfTheDataDirectory() throws Exception {
    Path dataDir = temp.resolve("data");
    try (WeirNode node = NodeLauncher.defaults().withDataDir(dataDir)
        .withConfig("weir.lakehouse.maintenance.enabled", true)
        .withConfig("weir.lakehouse.maintenance.compact-interval", "200ms")
        .start();
        Lakehouse lake = Lakehouse.open(LakehouseSettings.at(dataDir.resolve("lakehouse")))) {
      Table table = lake.createTable("shop.ids", TableDefinition.of(SCHEMA));
      for (int i = 0; i < 3; i++) {
        append(table, i * 10L, i * 10L + 10);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!compacted(table) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(compacted(table), "the node's schedule compacted shop.ids");
      Set<Long> ids = new HashSet<>();
      try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
        rows.forEach(r -> ids.add((Long) r.getField("id")));
      }
      assertEquals(30, ids.size());
      assertTrue(Files.isDirectory(dataDir.resolve("lakehouse").resolve("warehouse")));
    }
  }
}
