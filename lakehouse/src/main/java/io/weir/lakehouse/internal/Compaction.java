package io.weir.lakehouse.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.BinPackRewriteFilePlanner;
import org.apache.iceberg.actions.FileRewritePlan;
import org.apache.iceberg.actions.RewriteDataFiles;
import org.apache.iceberg.actions.RewriteFileGroup;
import org.apache.iceberg.actions.SizeBasedFileRewritePlanner;
import org.apache.iceberg.data.DeleteFilter;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.PartitionedFanoutWriter;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.UnpartitionedWriter;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PartitionUtil;

/**
 * One compaction of a table: Iceberg's {@link BinPackRewriteFilePlanner} picks the data files
 * (too small or too large for the target size, or carrying any delete file) and groups them per
 * partition; each group is read with its deletes applied (Iceberg's {@link GenericDeleteFilter})
 * and written again through Iceberg's task writers; all groups are committed in one
 * {@link RewriteFiles} that validates against commits since the planned snapshot and gives the
 * new files the planned snapshot's data sequence number, so equality deletes committed
 * meanwhile (a sink upserting) still apply to the rewritten rows. Delete files that only
 * applied to rewritten files are removed in the same commit.
 *
 * <p>Blocks; not thread-safe (one instance per run).
 */
public final class Compaction {
  /** What one run did; {@code snapshotId} is -1 when nothing was committed. */
  public record Outcome(long snapshotId, int dataFilesRewritten, long bytesRewritten,
      int deleteFilesRemoved, int dataFilesAdded, long bytesAdded) {}

  private final Table table;
  private final Expression filter;
  private final long targetFileSize;
  private final Runnable beforeCommit;

  /**
   * @param table the table, refreshed by {@link #run()}
   * @param filter the rows whose files to consider (files overlapping it are rewritten whole)
   * @param targetFileSize the size of the files to write
   * @param beforeCommit runs after the files are written and before the commit (tests race a
   *     concurrent commit here); never null
   */
  public Compaction(Table table, Expression filter, long targetFileSize, Runnable beforeCommit) {
    this.table = table;
    this.filter = filter;
    this.targetFileSize = targetFileSize;
    this.beforeCommit = beforeCommit;
  }

  /**
   * Plans, rewrites and commits.
   *
   * @throws org.apache.iceberg.exceptions.ValidationException when a concurrent commit
   *     conflicts (it deleted or rewrote a file being rewritten, or added position deletes to
   *     it); the files written are deleted and the table is unchanged
   * @throws CommitStateUnknownException when the catalog did not answer; nothing is cleaned up
   */
  public Outcome run() {
    table.refresh();
    Snapshot start = table.currentSnapshot();
    if (start == null) {
      return new Outcome(-1, 0, 0, 0, 0, 0);
    }
    BinPackRewriteFilePlanner planner =
        new BinPackRewriteFilePlanner(table, filter, start.snapshotId(), false);
    Map<String, String> options = new HashMap<>();
    options.put(SizeBasedFileRewritePlanner.TARGET_FILE_SIZE_BYTES, Long.toString(targetFileSize));
    options.put(SizeBasedFileRewritePlanner.MIN_INPUT_FILES, "2");
    // any file with a delete file is rewritten, so reads need not merge deletes any more
    options.put(BinPackRewriteFilePlanner.DELETE_FILE_THRESHOLD, "1");
    planner.init(options);
    List<RewriteFileGroup> groups = new ArrayList<>();
    FileRewritePlan<RewriteDataFiles.FileGroupInfo, FileScanTask, DataFile, RewriteFileGroup>
        plan = planner.plan();
    try (CloseableIterable<RewriteFileGroup> planned = plan.groups()) {
      planned.forEach(groups::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (groups.isEmpty()) {
      return new Outcome(-1, 0, 0, 0, 0, 0);
    }

    List<DataFile> written = new ArrayList<>();
    try {
      OutputFileFactory files = OutputFileFactory.builderFor(table, 0, 0)
          .format(FileFormat.PARQUET).operationId("compact-" + UUID.randomUUID()).build();
      GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
          .dataFileFormat(FileFormat.PARQUET).build();
      Set<DataFile> rewritten = new HashSet<>();
      Map<String, DeleteFile> deletesOfRewritten = new HashMap<>();
      long bytesRewritten = 0;
      for (RewriteFileGroup group : groups) {
        List<DataFile> out = rewrite(group.fileScanTasks(), writers, files);
        written.addAll(out);
        for (FileScanTask task : group.fileScanTasks()) {
          if (rewritten.add(task.file())) {
            bytesRewritten += task.file().fileSizeInBytes();
          }
          for (DeleteFile d : task.deletes()) {
            deletesOfRewritten.put(d.location(), d);
          }
        }
      }
      Set<DeleteFile> removable = removableDeletes(start, rewritten, deletesOfRewritten);
      beforeCommit.run();

      RewriteFiles rewrite = table.newRewrite()
          .validateFromSnapshot(start.snapshotId())
          .dataSequenceNumber(start.sequenceNumber());
      rewritten.forEach(rewrite::deleteFile);
      written.forEach(rewrite::addFile);
      removable.forEach(rewrite::deleteFile);
      rewrite.set("weir.maintenance", "compact");
      rewrite.commit();
      long bytesAdded = written.stream().mapToLong(DataFile::fileSizeInBytes).sum();
      table.refresh();
      return new Outcome(table.currentSnapshot().snapshotId(), rewritten.size(), bytesRewritten,
          removable.size(), written.size(), bytesAdded);
    } catch (CommitStateUnknownException unknown) {
      throw unknown; // the files may be committed: keep them
    } catch (RuntimeException e) {
      for (DataFile f : written) {
        table.io().deleteFile(f.location());
      }
      throw e;
    }
  }

  /**
   * The delete files attached to rewritten files and to no other file of the snapshot: they
   * no longer apply to anything (the rewritten files get the starting sequence number, and
   * files added later have higher ones).
   */
  private Set<DeleteFile> removableDeletes(Snapshot start, Set<DataFile> rewritten,
      Map<String, DeleteFile> candidates) {
    if (candidates.isEmpty()) {
      return Set.of();
    }
    Set<String> rewrittenPaths = new HashSet<>();
    rewritten.forEach(f -> rewrittenPaths.add(f.location()));
    Map<String, DeleteFile> removable = new HashMap<>(candidates);
    try (CloseableIterable<FileScanTask> all =
        table.newScan().useSnapshot(start.snapshotId()).ignoreResiduals().planFiles()) {
      for (FileScanTask task : all) {
        if (!rewrittenPaths.contains(task.file().location())) {
          task.deletes().forEach(d -> removable.remove(d.location()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HashSet<>(removable.values());
  }

  private List<DataFile> rewrite(List<FileScanTask> tasks, GenericFileWriterFactory writers,
      OutputFileFactory files) {
    Schema schema = table.schema();
    TaskWriter<Record> writer = newWriter(schema, writers, files);
    try {
      for (FileScanTask task : tasks) {
        try (CloseableIterable<Record> rows = read(task, schema)) {
          for (Record row : rows) {
            writer.write(row);
          }
        }
      }
      WriteResult result = writer.complete();
      return List.of(result.dataFiles());
    } catch (IOException | RuntimeException e) {
      try {
        writer.abort();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  private TaskWriter<Record> newWriter(Schema schema, GenericFileWriterFactory writers,
      OutputFileFactory files) {
    if (!table.spec().isPartitioned()) {
      return new UnpartitionedWriter<>(table.spec(), FileFormat.PARQUET, writers, files,
          table.io(), targetFileSize);
    }
    PartitionKey key = new PartitionKey(table.spec(), schema);
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    return new PartitionedFanoutWriter<>(table.spec(), FileFormat.PARQUET, writers, files,
        table.io(), targetFileSize) {
      @Override
      protected PartitionKey partition(Record row) {
        key.partition(wrapper.wrap(row));
        return key;
      }
    };
  }

  /** The live rows of one file: its deletes applied, projected on the table's schema. */
  private CloseableIterable<Record> read(FileScanTask task, Schema schema) {
    DeleteFilter<Record> deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
    Schema readSchema = deletes.requiredSchema();
    Map<Integer, ?> constants =
        PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
    CloseableIterable<Record> rows = Parquet.read(table.io().newInputFile(task.file().location()))
        .project(readSchema)
        .createReaderFunc(fileSchema ->
            GenericParquetReaders.buildReader(readSchema, fileSchema, constants))
        .split(task.start(), task.length())
        .build();
    CloseableIterable<Record> live = deletes.filter(rows);
    if (readSchema.columns().size() == schema.columns().size()) {
      return live;
    }
    // the position-delete filter reads the row position column as well: drop it
    return CloseableIterable.transform(live, row -> {
      GenericRecord copy = GenericRecord.create(schema);
      for (int i = 0; i < schema.columns().size(); i++) {
        copy.set(i, row.get(i));
      }
      return copy;
    });
  }
}
