package io.weir.lakehouse;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link IcebergSink} writer staged for one checkpoint: the files it closed on the
 * barrier, described by value so that they travel in the checkpoint as CBOR and are rebuilt
 * into Iceberg's {@code DataFile}/{@code DeleteFile} at commit.
 *
 * @param jobId the sink's identity in snapshot summaries ({@code job name/sink id}); never null
 * @param runId minted by the writer when it starts; commits are deduplicated per run
 * @param subtask the writer's subtask
 * @param checkpointId the checkpoint the files belong to
 * @param files the staged files, never null, may be empty
 */
public record IcebergCommittable(String jobId, String runId, int subtask, long checkpointId,
    List<StagedFile> files) {
  /** Validates and copies. */
  public IcebergCommittable {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(runId, "runId");
    files = List.copyOf(files);
  }

  /** What a staged file holds. */
  public enum Content {
    /** Rows. */
    DATA,
    /** Positions of deleted rows in data files. */
    POSITION_DELETES,
    /** Key values of deleted rows. */
    EQUALITY_DELETES
  }

  /**
   * A staged data or delete file with the metrics Iceberg keeps for it. Maps are by field id;
   * bounds are Iceberg's single-value serialization. Metric maps may be null (not collected).
   *
   * @param content what the file holds
   * @param path its location
   * @param format {@code PARQUET}, {@code AVRO} or {@code ORC}
   * @param specId the partition spec it was written under
   * @param partition the partition tuple, each value in Iceberg's single-value serialization
   *     (null for a null value); empty when unpartitioned
   * @param recordCount rows (or deletes) in the file
   * @param sizeBytes the file's size
   * @param columnSizes may be null
   * @param valueCounts may be null
   * @param nullValueCounts may be null
   * @param nanValueCounts may be null
   * @param lowerBounds may be null
   * @param upperBounds may be null
   * @param splitOffsets may be null
   * @param equalityFieldIds the key of equality deletes; empty otherwise
   * @param sortOrderId may be null
   */
  public record StagedFile(Content content, String path, String format, int specId,
      List<byte[]> partition, long recordCount, long sizeBytes, Map<Integer, Long> columnSizes,
      Map<Integer, Long> valueCounts, Map<Integer, Long> nullValueCounts,
      Map<Integer, Long> nanValueCounts, Map<Integer, byte[]> lowerBounds,
      Map<Integer, byte[]> upperBounds, List<Long> splitOffsets, List<Integer> equalityFieldIds,
      Integer sortOrderId) {
    /** Validates. */
    public StagedFile {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(format, "format");
      partition = partition == null ? List.of() : java.util.Collections.unmodifiableList(
          new java.util.ArrayList<>(partition));
      equalityFieldIds = equalityFieldIds == null ? List.of() : List.copyOf(equalityFieldIds);
    }
  }
}
