package io.weir.log.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Log compaction as a pure function: of the records at or below {@code cleanableUpTo}, keep the
 * latest per key (and drop tombstones older than {@code delete.retention.ms}); keep every record
 * above it as it is. Offsets are kept, so the result has gaps, as a compacted Kafka log does.
 */
final class Compaction {
  private Compaction() {}

  /** The compacted records and the untouched batches above the cleanable range. */
  record Result(List<StoredRecord> cleaned, List<PartitionEntity.BatchAppended> untouched,
      long removed) {}

  /**
   * Compacts {@code batches} (in offset order).
   *
   * @param cleanableUpTo the last offset that may be cleaned (the active segment lies above)
   * @param tombstonesBefore tombstones with a timestamp below this are removed
   * @param abortedRecords whether (producer id, offset) lies in an aborted transaction
   */
  static Result compact(List<PartitionEntity.BatchAppended> batches, long cleanableUpTo,
      long tombstonesBefore, java.util.function.BiPredicate<Long, Long> abortedRecords) {
    Map<ByteBuffer, Long> latest = new HashMap<>();
    for (PartitionEntity.BatchAppended batch : batches) {
      if (batch.isControl() || (batch.isTransactional()
          && abortedRecords.test(batch.producerId(), batch.records().get(0).offset()))) {
        continue;
      }
      for (StoredRecord r : batch.records()) {
        if (r.offset() <= cleanableUpTo) {
          latest.put(ByteBuffer.wrap(r.key()), r.offset());
        }
      }
    }
    List<StoredRecord> cleaned = new ArrayList<>();
    List<PartitionEntity.BatchAppended> untouched = new ArrayList<>();
    long removed = 0;
    for (PartitionEntity.BatchAppended batch : batches) {
      if (batch.records().get(0).offset() > cleanableUpTo) {
        untouched.add(batch);
        continue;
      }
      if (batch.isControl() || (batch.isTransactional()
          && abortedRecords.test(batch.producerId(), batch.records().get(0).offset()))) {
        // Markers and aborted transactions' records are not carried into the compacted log.
        removed += batch.records().size();
        continue;
      }
      for (StoredRecord r : batch.records()) {
        boolean superseded = latest.get(ByteBuffer.wrap(r.key())) != r.offset();
        boolean expiredTombstone = r.value() == null && r.timestamp() < tombstonesBefore;
        if (r.offset() > cleanableUpTo) {
          cleaned.add(r);
        } else if (superseded || expiredTombstone) {
          removed++;
        } else {
          cleaned.add(r);
        }
      }
    }
    return new Result(cleaned, untouched, removed);
  }

  /** Splits records into batches of about {@code batchBytes}, each with one record at least. */
  static List<List<StoredRecord>> chunk(List<StoredRecord> records, long batchBytes) {
    List<List<StoredRecord>> out = new ArrayList<>();
    List<StoredRecord> current = new ArrayList<>();
    long bytes = 0;
    for (StoredRecord r : records) {
      if (!current.isEmpty() && bytes + r.sizeInBytes() > batchBytes) {
        out.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(r);
      bytes += r.sizeInBytes();
    }
    if (!current.isEmpty()) {
      out.add(current);
    }
    return out;
  }
}
