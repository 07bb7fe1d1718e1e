package io.weir.lakehouse.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.BaseTaskWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;

/**
 * Writes upserts and deletes by primary key into data files, equality-delete files (for rows
 * of earlier commits) and position-delete files (for rows written earlier in the same commit,
 * which an equality delete of the same commit would not reach). One delta writer per partition;
 * partition columns must be key columns, so a delete finds its partition from the key alone.
 * Not thread-safe.
 */
final class UpsertTaskWriter extends BaseTaskWriter<Record> {
  private final Schema schema;
  private final Schema keySchema;
  private final PartitionKey partitionKey;
  private final InternalRecordWrapper rowWrapper;
  private final InternalRecordWrapper keyWrapper;
  private final Map<StructLike, KeyedWriter> writers = new HashMap<>();

  UpsertTaskWriter(PartitionSpec spec, Schema schema, Schema keySchema,
      FileWriterFactory<Record> writerFactory, OutputFileFactory fileFactory, FileIO io,
      long targetFileSize) {
    super(spec, FileFormat.PARQUET, writerFactory, fileFactory, io, targetFileSize);
    this.schema = schema;
    this.keySchema = keySchema;
    this.partitionKey = new PartitionKey(spec, schema);
    this.rowWrapper = new InternalRecordWrapper(schema.asStruct());
    this.keyWrapper = new InternalRecordWrapper(keySchema.asStruct());
  }

  /** An upsert: the row replaces any row with its key. */
  @Override
  public void write(Record row) throws IOException {
    KeyedWriter writer = writerFor(row);
    writer.deleteKey(key(row));
    writer.write(row);
  }

  /** Deletes the row with the key of {@code row} (only key columns are read). */
  void delete(Record row) throws IOException {
    writerFor(row).deleteKey(key(row));
  }

  private KeyedWriter writerFor(Record row) {
    if (!spec().isPartitioned()) {
      return writers.computeIfAbsent(partitionKey, p -> new KeyedWriter(null));
    }
    partitionKey.partition(rowWrapper.wrap(row));
    KeyedWriter writer = writers.get(partitionKey);
    if (writer == null) {
      PartitionKey copy = partitionKey.copy();
      writer = new KeyedWriter(copy);
      writers.put(copy, writer);
    }
    return writer;
  }

  private Record key(Record row) {
    GenericRecord key = GenericRecord.create(keySchema);
    for (Types.NestedField field : keySchema.columns()) {
      Object value = row.getField(field.name());
      if (value == null) {
        throw new IllegalArgumentException("primary key column '" + field.name()
            + "' has no value in " + row);
      }
      key.setField(field.name(), value);
    }
    return key;
  }

  @Override
  public void close() throws IOException {
    try {
      for (KeyedWriter writer : writers.values()) {
        writer.close();
      }
      writers.clear();
    } finally {
      super.close();
    }
  }

  private final class KeyedWriter extends BaseEqualityDeltaWriter {
    KeyedWriter(StructLike partition) {
      super(partition, schema, keySchema);
    }

    @Override
    protected StructLike asStructLike(Record row) {
      return rowWrapper.copyFor(row);
    }

    @Override
    protected StructLike asStructLikeKey(Record key) {
      return keyWrapper.copyFor(key);
    }
  }
}
