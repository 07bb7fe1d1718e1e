package io.weir.lakehouse.internal;

import io.weir.lakehouse.IcebergCommittable.Content;
import io.weir.lakehouse.IcebergCommittable.StagedFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.ByteBuffers;

/** Iceberg content files to plain values for checkpoints, and back. */
public final class StagedFiles {
  private StagedFiles() {}

  /** Describes a data or delete file by value. */
  public static StagedFile describe(ContentFile<?> file, PartitionSpec spec) {
    Content content = switch (file.content()) {
      case DATA -> Content.DATA;
      case POSITION_DELETES -> Content.POSITION_DELETES;
      case EQUALITY_DELETES -> Content.EQUALITY_DELETES;
      default -> throw new IllegalArgumentException("cannot stage " + file.content() + " file "
          + file.location());
    };
    List<byte[]> partition = new ArrayList<>();
    Types.StructType type = spec.partitionType();
    StructLike tuple = file.partition();
    for (int i = 0; i < type.fields().size(); i++) {
      Object value = tuple.get(i, Object.class);
      partition.add(value == null ? null
          : ByteBuffers.toByteArray(Conversions.toByteBuffer(type.fields().get(i).type(), value)));
    }
    return new StagedFile(content, file.location(), file.format().name(), file.specId(),
        partition, file.recordCount(), file.fileSizeInBytes(), file.columnSizes(),
        file.valueCounts(), file.nullValueCounts(), file.nanValueCounts(),
        bytes(file.lowerBounds()), bytes(file.upperBounds()), file.splitOffsets(),
        file.equalityFieldIds(), file.sortOrderId());
  }

  /** Rebuilds a data file. */
  public static DataFile dataFile(StagedFile staged, Table table) {
    if (staged.content() != Content.DATA) {
      throw new IllegalArgumentException("not a data file: " + staged.path());
    }
    PartitionSpec spec = spec(staged, table);
    DataFiles.Builder builder = DataFiles.builder(spec)
        .withPath(staged.path())
        .withFormat(FileFormat.fromString(staged.format()))
        .withFileSizeInBytes(staged.sizeBytes())
        .withMetrics(metrics(staged))
        .withSplitOffsets(staged.splitOffsets());
    if (spec.isPartitioned()) {
      builder.withPartition(partition(staged, spec));
    }
    if (staged.sortOrderId() != null && table.sortOrders().containsKey(staged.sortOrderId())) {
      builder.withSortOrder(table.sortOrders().get(staged.sortOrderId()));
    }
    return builder.build();
  }

  /** Rebuilds a delete file. */
  public static DeleteFile deleteFile(StagedFile staged, Table table) {
    PartitionSpec spec = spec(staged, table);
    FileMetadata.Builder builder = FileMetadata.deleteFileBuilder(spec);
    switch (staged.content()) {
      case POSITION_DELETES -> builder.ofPositionDeletes();
      case EQUALITY_DELETES -> builder.ofEqualityDeletes(
          staged.equalityFieldIds().stream().mapToInt(Integer::intValue).toArray());
      default -> throw new IllegalArgumentException("not a delete file: " + staged.path());
    }
    builder.withPath(staged.path())
        .withFormat(FileFormat.fromString(staged.format()))
        .withFileSizeInBytes(staged.sizeBytes())
        .withMetrics(metrics(staged));
    if (staged.splitOffsets() != null) {
      builder.withSplitOffsets(staged.splitOffsets());
    }
    if (spec.isPartitioned()) {
      builder.withPartition(partition(staged, spec));
    }
    if (staged.sortOrderId() != null && table.sortOrders().containsKey(staged.sortOrderId())) {
      builder.withSortOrder(table.sortOrders().get(staged.sortOrderId()));
    }
    return builder.build();
  }

  private static PartitionSpec spec(StagedFile staged, Table table) {
    PartitionSpec spec = table.specs().get(staged.specId());
    if (spec == null) {
      throw new IllegalStateException("table " + table.name() + " has no partition spec "
          + staged.specId() + " for staged file " + staged.path());
    }
    return spec;
  }

  private static PartitionData partition(StagedFile staged, PartitionSpec spec) {
    Types.StructType type = spec.partitionType();
    PartitionData data = new PartitionData(type);
    for (int i = 0; i < type.fields().size(); i++) {
      byte[] bytes = staged.partition().get(i);
      Type fieldType = type.fields().get(i).type();
      Object value = bytes == null ? null : Conversions.fromByteBuffer(fieldType,
          ByteBuffer.wrap(bytes));
      data.set(i, value instanceof CharSequence chars ? chars.toString() : value);
    }
    return data;
  }

  private static Metrics metrics(StagedFile staged) {
    return new Metrics(staged.recordCount(), staged.columnSizes(), staged.valueCounts(),
        staged.nullValueCounts(), staged.nanValueCounts(), buffers(staged.lowerBounds()),
        buffers(staged.upperBounds()));
  }

  private static Map<Integer, byte[]> bytes(Map<Integer, ByteBuffer> buffers) {
    if (buffers == null) {
      return null;
    }
    Map<Integer, byte[]> out = new HashMap<>();
    buffers.forEach((id, buffer) -> out.put(id, ByteBuffers.toByteArray(buffer)));
    return out;
  }

  private static Map<Integer, ByteBuffer> buffers(Map<Integer, byte[]> bytes) {
    if (bytes == null) {
      return null;
    }
    Map<Integer, ByteBuffer> out = new HashMap<>();
    bytes.forEach((id, array) -> out.put(id, ByteBuffer.wrap(array)));
    return out;
  }
}
