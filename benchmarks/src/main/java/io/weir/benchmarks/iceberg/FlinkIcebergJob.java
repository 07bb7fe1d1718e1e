package io.weir.benchmarks.iceberg;

import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.UnpartitionedWriter;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Flink's side of the Iceberg benchmark, built as Iceberg's own Flink sink is (its
 * {@code iceberg-flink} module has no release for Flink 2.x with Iceberg 1.12, so the same
 * design is written here with Iceberg's writers): a sequence source, writer operators at the
 * given parallelism that write Parquet through Iceberg's {@code GenericFileWriterFactory} and
 * {@code UnpartitionedWriter} and, before each barrier, emit their closed files (a
 * {@code WriteResult}, Java-serialized) downstream; and one committer operator of parallelism
 * 1 that keeps them in its operator state per checkpoint and commits them in one
 * {@code AppendFiles} when the checkpoint completes (and the rest at the end of input), with
 * the job id and the highest committed checkpoint id in the snapshot summary. The catalog and
 * file IO are the same as Weir's (Iceberg's {@code JdbcCatalog} on H2, local disk).
 */
public final class FlinkIcebergJob {
  /** Snapshot summary key: the Flink job. */
  static final String JOB_ID = "flink.job-id";
  /** Snapshot summary key: the highest checkpoint id the snapshot commits. */
  static final String MAX_CHECKPOINT = "flink.max-committed-checkpoint-id";

  private FlinkIcebergJob() {}

  /** Defines the job on {@code env}: {@code rows} rows into {@code table}. */
  public static void define(StreamExecutionEnvironment env, Path lakehouse, String table,
      long rows, int parallelism, long checkpointMillis, String run) {
    env.enableCheckpointing(checkpointMillis);
    env.fromSequence(0, rows - 1).setParallelism(parallelism)
        .transform("Iceberg writer", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO,
            new Writer(lakehouse.toString(), table)).setParallelism(parallelism)
        .rebalance()
        .transform("Iceberg committer", BasicTypeInfo.LONG_TYPE_INFO,
            new FilesCommitter(lakehouse.toString(), table, run)).setParallelism(1)
        .sinkTo(new DiscardingSink<>()).setParallelism(1);
  }

  static byte[] serialize(WriteResult result) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(result);
    }
    return bytes.toByteArray();
  }

  static WriteResult deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (WriteResult) in.readObject();
    }
  }

  /** Writes rows into Parquet files; hands the closed files on before each barrier. */
  static final class Writer extends AbstractStreamOperator<byte[]>
      implements OneInputStreamOperator<Long, byte[]>, BoundedOneInput {
    private final String lakehouseDir;
    private final String tableName;
    private transient Lakehouse lakehouse;
    private transient Table table;
    private transient GenericFileWriterFactory writers;
    private transient OutputFileFactory files;
    private transient GenericRecord template;
    private transient long targetFileSize;
    private transient TaskWriter<Record> open;

    Writer(String lakehouseDir, String tableName) {
      this.lakehouseDir = lakehouseDir;
      this.tableName = tableName;
    }

    @Override
    public void open() throws Exception {
      super.open();
      lakehouse = Lakehouse.open(LakehouseSettings.at(Path.of(lakehouseDir)));
      table = lakehouse.loadTable(tableName);
      writers = new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET)
          .build();
      files = OutputFileFactory.builderFor(table,
              getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
              getRuntimeContext().getTaskInfo().getAttemptNumber())
          .format(FileFormat.PARQUET).operationId(UUID.randomUUID().toString()).build();
      template = GenericRecord.create(table.schema());
      targetFileSize = PropertyUtil.propertyAsLong(table.properties(),
          TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
          lakehouse.settings().targetFileSizeBytes());
    }

    @Override
    public void processElement(StreamRecord<Long> element) throws Exception {
      if (open == null) {
        open = new UnpartitionedWriter<>(table.spec(), FileFormat.PARQUET, writers, files,
            table.io(), targetFileSize);
      }
      open.write(BenchRows.record(template, element.getValue()));
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
      handOver();
    }

    @Override
    public void endInput() throws Exception {
      handOver();
    }

    private void handOver() throws IOException {
      if (open == null) {
        return;
      }
      WriteResult result = open.complete();
      open = null;
      output.collect(new StreamRecord<>(serialize(result)));
    }

    @Override
    public void close() throws Exception {
      try {
        if (open != null) {
          open.abort();
        }
      } finally {
        if (lakehouse != null) {
          lakehouse.close();
        }
        super.close();
      }
    }
  }

  /** Keeps the writers' files per checkpoint and commits them when it completes. */
  static final class FilesCommitter extends AbstractStreamOperator<Long>
      implements OneInputStreamOperator<byte[], Long>, BoundedOneInput {
    private final String lakehouseDir;
    private final String tableName;
    private final String run;
    private transient Lakehouse lakehouse;
    private transient Table table;
    private transient List<byte[]> received;
    private transient TreeMap<Long, List<byte[]>> pending;
    private transient ListState<byte[]> state;
    private transient String jobId;

    FilesCommitter(String lakehouseDir, String tableName, String run) {
      this.lakehouseDir = lakehouseDir;
      this.tableName = tableName;
      this.run = run;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
      super.initializeState(context);
      received = new ArrayList<>();
      pending = new TreeMap<>();
      jobId = getRuntimeContext().getJobInfo().getJobId().toString();
      state = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("files",
          PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
      if (context.isRestored()) {
        List<byte[]> restored = new ArrayList<>();
        state.get().forEach(restored::add);
        pending.put(context.getRestoredCheckpointId().orElse(0L), restored);
      }
    }

    @Override
    public void open() throws Exception {
      super.open();
      lakehouse = Lakehouse.open(LakehouseSettings.at(Path.of(lakehouseDir)));
      table = lakehouse.loadTable(tableName);
      if (!pending.isEmpty()) {
        // After a restore: what the table holds of this job already is not committed again.
        long committed = maxCommitted();
        pending.headMap(committed, true).clear();
        if (!pending.isEmpty()) {
          commitUpTo(pending.lastKey());
        }
      }
    }

    @Override
    public void processElement(StreamRecord<byte[]> element) {
      received.add(element.getValue());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
      super.snapshotState(context);
      pending.put(context.getCheckpointId(), received);
      received = new ArrayList<>();
      List<byte[]> all = new ArrayList<>();
      pending.values().forEach(all::addAll);
      state.update(all);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
      super.notifyCheckpointComplete(checkpointId);
      commitUpTo(checkpointId);
    }

    @Override
    public void endInput() throws Exception {
      pending.put(Long.MAX_VALUE, received);
      received = new ArrayList<>();
      commitUpTo(Long.MAX_VALUE);
    }

    private void commitUpTo(long checkpointId) throws Exception {
      Map<Long, List<byte[]>> upTo = pending.headMap(checkpointId, true);
      List<DataFile> data = new ArrayList<>();
      for (List<byte[]> results : upTo.values()) {
        for (byte[] bytes : results) {
          for (DataFile f : deserialize(bytes).dataFiles()) {
            data.add(f);
          }
        }
      }
      upTo.clear();
      if (data.isEmpty()) {
        return;
      }
      long start = System.nanoTime();
      table.refresh();
      AppendFiles append = table.newAppend();
      data.forEach(append::appendFile);
      append.set(JOB_ID, jobId).set(MAX_CHECKPOINT, Long.toString(checkpointId)).commit();
      CommitTimes.record(run, System.nanoTime() - start);
    }

    private long maxCommitted() {
      table.refresh();
      for (Snapshot s = table.currentSnapshot(); s != null;
          s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
        if (jobId.equals(s.summary().get(JOB_ID))) {
          return Long.parseLong(s.summary().get(MAX_CHECKPOINT));
        }
      }
      return -1;
    }

    @Override
    public void close() throws Exception {
      try {
        if (lakehouse != null) {
          lakehouse.close();
        }
      } finally {
        super.close();
      }
    }
  }
}
