package io.weir.samples.demo;

import io.weir.api.WeirException;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.MaintenanceResult;
import io.weir.node.cli.NodeOptions;
import io.weir.node.cli.TableCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weir demo lake}: the data-lake sample on the table {@code weir demo} wrote. Time travel
 * to its first snapshot, a branch as a zero-copy clone that takes a what-if write while the main
 * branch does not see it, a bad load on main rolled back, and a compaction that rewrites the
 * small files the checkpoints committed into one, the rows unchanged. Every step reads the
 * table back with Iceberg's reader.
 */
@Command(name = "lake", mixinStandardHelpOptions = true,
    description = "The data-lake sample on the table 'weir demo' wrote: time travel, a branch "
        + "as a zero-copy clone, rollback, compaction.")
public final class DataLakeCommand implements Callable<Integer> {
  static final String BRANCH = "what-if";

  @Mixin NodeOptions node;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return TableCommand.withLakehouse(node, lake -> {
      if (!lake.tableExists(DemoCommand.TABLE)) {
        throw new WeirException("no table " + DemoCommand.TABLE + " in this data directory:"
            + " run 'weir demo' first");
      }
      Table table = TableCommand.load(lake, DemoCommand.TABLE);
      List<Snapshot> history = new java.util.ArrayList<>();
      table.snapshots().forEach(history::add);
      Snapshot first = history.get(0);
      long main = table.currentSnapshot().snapshotId();
      out.printf("Data lake sample on %s: %d snapshots, one per checkpoint that committed rows%n",
          DemoCommand.TABLE, history.size());

      Totals then = Totals.of(read(table, first.snapshotId()));
      Totals now = Totals.of(read(table, main));
      out.printf("[1/4] time travel: at its first snapshot %d the table held %s; now (snapshot"
          + " %d) %s%n", first.snapshotId(), then, main, now);

      if (table.refs().containsKey(BRANCH)) {
        table.manageSnapshots().removeBranch(BRANCH).commit();
      }
      table.manageSnapshots().createBranch(BRANCH, main).commit();
      Set<String> mainFiles = files(table, main);
      appendPricingPage(table, now);
      table.refresh();
      long branchHead = table.refs().get(BRANCH).snapshotId();
      Set<String> branchFiles = files(table, branchHead);
      Totals onBranch = Totals.of(read(table, branchHead));
      Totals onMain = Totals.of(read(table, table.currentSnapshot().snapshotId()));
      boolean shared = branchFiles.containsAll(mainFiles);
      out.printf("[2/4] branch %s created at snapshot %d: zero-copy, it shares all %d data files"
          + " of main (%s); a what-if write of a /pricing page went to the branch only:%n"
          + "      branch %s, main %s%n", BRANCH, main, mainFiles.size(),
          shared ? "no file copied" : "FILES DIFFER", onBranch, onMain);

      long beforeBadLoad = table.currentSnapshot().snapshotId();
      appendDuplicateLoad(table);
      table.refresh();
      Totals bad = Totals.of(read(table, table.currentSnapshot().snapshotId()));
      lake.rollbackTo(DemoCommand.TABLE, beforeBadLoad);
      table.refresh();
      Totals rolledBack = Totals.of(read(table, table.currentSnapshot().snapshotId()));
      out.printf("[3/4] a bad load on main (every row again) made it %s; rolled back to snapshot"
          + " %d: %s%n", bad, beforeBadLoad, rolledBack);

      int filesBefore = files(table, table.currentSnapshot().snapshotId()).size();
      MaintenanceResult.Compacted compacted = lake.maintenance(DemoCommand.TABLE).compact();
      table.refresh();
      long compactedSnapshot = table.currentSnapshot().snapshotId();
      Totals afterCompaction = Totals.of(read(table, compactedSnapshot));
      int filesAfter = files(table, compactedSnapshot).size();
      out.printf("[4/4] compaction: %d data files into %d (%s); the rows: %s%n", filesBefore,
          filesAfter, compacted.describe(), afterCompaction);

      boolean ok = shared && onMain.equals(now) && onBranch.views() > now.views()
          && rolledBack.equals(now) && !bad.equals(now) && afterCompaction.equals(now)
          && filesAfter <= filesBefore;
      out.printf("Summary: %s%n", ok ? "every step read back as expected"
          : "SOMETHING DID NOT READ BACK AS EXPECTED");
      return ok ? 0 : 1;
    });
  }

  /** Rows and views of a table state, and its pages. */
  record Totals(long rows, long views, int pages) {
    static Totals of(List<Record> records) {
      Set<Object> pages = new TreeSet<>();
      long views = 0;
      for (Record r : records) {
        views += (Long) r.getField("views");
        pages.add(r.getField("page"));
      }
      return new Totals(records.size(), views, pages.size());
    }

    @Override
    public String toString() {
      return String.format("%,d rows, %,d views, %d pages", rows, views, pages);
    }
  }

  private static List<Record> read(Table table, long snapshotId) {
    List<Record> rows = new java.util.ArrayList<>();
    try (CloseableIterable<Record> it = IcebergGenerics.read(table).useSnapshot(snapshotId)
        .build()) {
      it.forEach(r -> rows.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static Set<String> files(Table table, long snapshotId) {
    Set<String> paths = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().useSnapshot(snapshotId)
        .planFiles()) {
      tasks.forEach(t -> paths.add(t.file().location()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths;
  }

  /** What if a /pricing page had taken 100 views a minute: one new file, on the branch. */
  private static void appendPricingPage(Table table, Totals now) {
    List<Record> rows = new java.util.ArrayList<>();
    Set<Object> minutes = new TreeSet<>();
    read(table, table.currentSnapshot().snapshotId())
        .forEach(r -> minutes.add(r.getField("window_start")));
    for (Object minute : minutes) {
      GenericRecord r = GenericRecord.create(table.schema());
      r.setField("window_start", minute);
      r.setField("page", "/pricing");
      r.setField("views", 100L);
      r.setField("users", 80);
      rows.add(r);
    }
    table.newAppend().appendFile(write(table, rows)).toBranch(BRANCH).commit();
  }

  /** The same rows loaded a second time, on main. */
  private static void appendDuplicateLoad(Table table) {
    table.newAppend().appendFile(write(table, read(table,
        table.currentSnapshot().snapshotId()))).commit();
  }

  private static DataFile write(Table table, List<Record> rows) {
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 0, System.nanoTime())
        .format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = factory.newDataWriter(files.newOutputFile(), table.spec(), null);
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }
}
