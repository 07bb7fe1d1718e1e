package io.weir.lakehouse.internal;

import io.weir.lakehouse.IcebergCommittable;
import io.weir.lakehouse.IcebergCommittable.StagedFile;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.Row;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.PartitionedFanoutWriter;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.UnpartitionedWriter;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.PropertyUtil;

/**
 * One sink subtask's writer: Parquet data files (and, for upserts, delete files) rolled by the
 * target size through Iceberg's writers; on each barrier the open files are closed and handed
 * over as one {@link IcebergCommittable}. Called from the subtask's thread only.
 */
public final class IcebergSinkWriter implements PrecommittingSinkWriter<Row, IcebergCommittable> {
  private final Lakehouse lakehouse;
  private final Table table;
  private final boolean upsert;
  private final String jobId;
  /**
   * This writer's run: its commits are found by it after a restore. A schema change starts a
   * new run, so what was written before the change commits first, in a snapshot of its own: an
   * upsert's equality delete after the change then reaches a row of the same checkpoint written
   * before it (a delete applies to data of earlier snapshots only).
   */
  private String runId = UUID.randomUUID().toString();
  private final int subtask;
  private final boolean evolve;
  private RowConverter converter;
  private GenericFileWriterFactory writerFactory;
  /** What writers closed by a schema change wrote, by run, for the next pre-commit. */
  private final List<Closed> closed = new ArrayList<>();

  private record Closed(String runId, WriteResult result) {}
  private OutputFileFactory fileFactory;
  private final long targetFileSize;
  private TaskWriter<Record> open;

  /**
   * Opens the table.
   *
   * @param lakehouse owned: closed with the writer
   * @throws IllegalArgumentException when {@code upsert} and the table cannot take upserts
   */
  public IcebergSinkWriter(Lakehouse lakehouse, String tableName, boolean upsert, String jobId,
      int subtask, boolean evolve) {
    this.lakehouse = lakehouse;
    this.table = lakehouse.loadTable(tableName);
    this.upsert = upsert;
    this.jobId = jobId;
    this.subtask = subtask;
    this.evolve = evolve;
    this.targetFileSize = PropertyUtil.propertyAsLong(table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        lakehouse.settings().targetFileSizeBytes());
    if (upsert) {
      requireUpsertable(table, tableName);
    }
    useSchema();
  }

  /** Converter, writer and file factories for the table's current schema and this run. */
  private void useSchema() {
    fileFactory = OutputFileFactory.builderFor(table, subtask, 0)
        .format(FileFormat.PARQUET).operationId(runId).build();
    Schema schema = table.schema();
    converter = new RowConverter(schema);
    GenericFileWriterFactory.Builder factory = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET)
        .deleteFileFormat(FileFormat.PARQUET);
    if (upsert) {
      factory.equalityFieldIds(schema.identifierFieldIds().stream().mapToInt(Integer::intValue)
              .toArray())
          .equalityDeleteRowSchema(keySchema(schema));
    }
    writerFactory = factory.build();
  }

  /**
   * Adds the row's columns the table lacks and widens those that cannot hold its values (with
   * evolution on): the files written so far are closed (they are the next pre-commit's), the
   * table's schema changes (another writer may have changed it first), and writing goes on with
   * the new schema.
   */
  private void evolveFor(Map<String, Object> values) {
    if (!SchemaEvolution.needsChange(table.schema(), values)) {
      return;
    }
    if (open != null) {
      try {
        closed.add(new Closed(runId, open.complete()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      open = null;
    }
    SchemaEvolution.evolve(table, values);
    runId = UUID.randomUUID().toString();
    useSchema();
  }

  private static Set<Integer> requireUpsertable(Table table, String name) {
    Set<Integer> keyIds = table.schema().identifierFieldIds();
    if (keyIds.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " has no primary key (identifier"
          + " fields): upserts need one");
    }
    int version = PropertyUtil.propertyAsInt(table.properties(), TableProperties.FORMAT_VERSION,
        2);
    if (table instanceof org.apache.iceberg.HasTableOperations ops) {
      version = ops.operations().current().formatVersion();
    }
    if (version < 2) {
      throw new IllegalArgumentException("table " + name + " is format version " + version
          + ": upserts need equality deletes, version 2 or later");
    }
    for (PartitionField field : table.spec().fields()) {
      if (!keyIds.contains(field.sourceId())) {
        throw new IllegalArgumentException("table " + name + " is partitioned by "
            + table.schema().findColumnName(field.sourceId())
            + ", which is not a primary key column: a delete could not find its partition");
      }
    }
    return keyIds;
  }

  private static Schema keySchema(Schema schema) {
    return schema.select(schema.identifierFieldNames());
  }

  private TaskWriter<Record> newTaskWriter() {
    Schema schema = table.schema();
    if (upsert) {
      return new UpsertTaskWriter(table.spec(), schema, keySchema(schema), writerFactory,
          fileFactory, table.io(), targetFileSize);
    }
    if (!table.spec().isPartitioned()) {
      return new UnpartitionedWriter<>(table.spec(), FileFormat.PARQUET, writerFactory,
          fileFactory, table.io(), targetFileSize);
    }
    PartitionKey key = new PartitionKey(table.spec(), schema);
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    return new PartitionedFanoutWriter<>(table.spec(), FileFormat.PARQUET, writerFactory,
        fileFactory, table.io(), targetFileSize) {
      @Override
      protected PartitionKey partition(Record row) {
        key.partition(wrapper.wrap(row));
        return key;
      }
    };
  }

  /**
   * Writes one row.
   *
   * @throws IllegalArgumentException for a row that does not fit the table, or an upsert or
   *     delete in append mode
   */
  @Override
  public void write(Row row, Long timestamp) throws Exception {
    if (evolve) {
      evolveFor(row.values());
    }
    if (open == null) {
      open = newTaskWriter();
    }
    if (!upsert) {
      if (row.kind() != Row.Kind.INSERT) {
        throw new IllegalArgumentException("a " + row.kind() + " row reached an append-mode"
            + " sink of table " + table.name() + ": use IcebergSink.upsert: " + row);
      }
      open.write(converter.convert(row.values(), false));
    } else if (row.kind() == Row.Kind.DELETE) {
      ((UpsertTaskWriter) open).delete(converter.convert(row.values(), true));
    } else {
      open.write(converter.convert(row.values(), false));
    }
  }

  @Override
  public void flush(boolean endOfInput) {
    // files are closed and handed over at the pre-commit
  }

  @Override
  public Collection<IcebergCommittable> precommit(long checkpointId) throws Exception {
    List<Closed> results = new ArrayList<>(closed);
    closed.clear();
    if (open != null) {
      results.add(new Closed(runId, open.complete()));
      open = null;
    }
    // One committable per run, in order: the committer commits them in that order.
    List<IcebergCommittable> committables = new ArrayList<>();
    for (Closed run : results) {
      List<StagedFile> files = new ArrayList<>();
      for (ContentFile<?> file : run.result().dataFiles()) {
        files.add(StagedFiles.describe(file, table.specs().get(file.specId())));
      }
      for (ContentFile<?> file : run.result().deleteFiles()) {
        files.add(StagedFiles.describe(file, table.specs().get(file.specId())));
      }
      if (!files.isEmpty()) {
        committables.add(new IcebergCommittable(jobId, run.runId(), subtask, checkpointId,
            files));
      }
    }
    return committables;
  }

  @Override
  public void close() throws Exception {
    try {
      if (open != null) {
        open.abort(); // deletes the files of the transaction that never reached a barrier
        open = null;
      }
      for (Closed run : closed) {
        // Closed by a schema change, never pre-committed: nobody will commit them.
        for (ContentFile<?> file : run.result().dataFiles()) {
          table.io().deleteFile(file.location());
        }
        for (ContentFile<?> file : run.result().deleteFiles()) {
          table.io().deleteFile(file.location());
        }
      }
      closed.clear();
    } finally {
      lakehouse.close();
    }
  }
}
