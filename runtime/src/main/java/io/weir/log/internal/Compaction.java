package io.weir.log.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
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

  /**
   * Reads batches {@code [firstSeqNr, lastSeqNr]} of a partition's journal through its read
   * journal and compacts them, off the partition's actor.
   */
  static CompletionStage<Result> readAndCompact(ActorSystem<?> system, String readJournalPluginId,
      String persistenceId, long firstSeqNr, long lastSeqNr, long cleanableUpTo,
      long tombstonesBefore, List<AbortedTxn> aborted) {
    return PersistenceQuery.get(system.classicSystem())
        .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, readJournalPluginId)
        .currentEventsByPersistenceId(persistenceId, firstSeqNr, lastSeqNr)
        .map(EventEnvelope::event)
        .filter(PartitionEntity.BatchAppended.class::isInstance)
        .map(PartitionEntity.BatchAppended.class::cast)
        .runWith(Sink.seq(), system)
        .thenApply(batches -> compact(batches, cleanableUpTo, tombstonesBefore,
            (producerId, offset) -> aborted.stream().anyMatch(a -> a.producerId() == producerId
                && a.firstOffset() <= offset && offset <= a.lastOffset())));
  }

  /**
   * The events that replace the whole log: a {@code LogRewritten} marker at {@code firstSeqNr},
   * the compacted records in batches, then the untouched batches and those appended while the
   * compaction ran, under new sequence numbers — persisted in one atomic write.
   */
  static List<PartitionEntity.Event> rewrite(long firstSeqNr, long logStartOffset,
      long nextOffset, Result result, List<PartitionEntity.BatchAppended> newer, long now) {
    long seqNr = firstSeqNr;
    List<PartitionEntity.Event> events = new ArrayList<>();
    events.add(new PartitionEntity.LogRewritten(seqNr++, logStartOffset, nextOffset));
    for (List<StoredRecord> chunk : chunk(result.cleaned(), 256 * 1024)) {
      events.add(new PartitionEntity.BatchAppended(seqNr++, now, chunk));
    }
    for (PartitionEntity.BatchAppended b : result.untouched()) {
      events.add(b.withSeqNr(seqNr++));
    }
    for (PartitionEntity.BatchAppended b : newer) {
      events.add(b.withSeqNr(seqNr++));
    }
    return events;
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
