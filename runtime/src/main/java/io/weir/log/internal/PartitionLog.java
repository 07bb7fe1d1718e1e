package io.weir.log.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory view of one partition's journal: the retained range, one small entry per
 * retained batch (its journal sequence number, offsets, bytes, newest timestamp), and the newest
 * batches themselves up to a byte budget, so tailing consumers are served from memory.
 *
 * <p>Mutable and confined to the partition entity's actor; it is rebuilt from the journal on
 * recovery and never snapshotted. Batch entries are kept in offset order, which is also journal
 * order (retention removes a prefix, compaction rewrites the whole log), so a range of batches is
 * a range of sequence numbers.
 */
final class PartitionLog {
  /** One retained batch. */
  static final class BatchMeta {
    final long seqNr;
    final long firstOffset;
    final long lastOffset;
    final long bytes;
    final long maxTimestamp;
    PartitionEntity.BatchAppended cached;

    BatchMeta(PartitionEntity.BatchAppended batch, long bytes) {
      this.seqNr = batch.seqNr();
      this.firstOffset = batch.records().get(0).offset();
      this.lastOffset = batch.records().get(batch.records().size() - 1).offset();
      this.bytes = bytes;
      long max = Long.MIN_VALUE;
      for (StoredRecord r : batch.records()) {
        max = Math.max(max, r.timestamp());
      }
      this.maxTimestamp = max;
      this.cached = batch;
    }
  }

  private final long cacheBudget;
  final ArrayList<BatchMeta> batches = new ArrayList<>();
  /** Idempotent producers that wrote to this partition, by producer id. */
  final java.util.HashMap<Long, ProducerState> producers = new java.util.HashMap<>();
  long logStartOffset;
  long nextOffset;
  long sizeBytes;
  private long cachedBytes;
  private int firstCached;

  PartitionLog(long cacheBudget) {
    this.cacheBudget = cacheBudget;
  }

  /** Adds a batch at the end and evicts the oldest cached batches past the budget. */
  void append(PartitionEntity.BatchAppended batch) {
    if (batch.records().isEmpty()) {
      return;
    }
    long bytes = 0;
    for (StoredRecord r : batch.records()) {
      bytes += r.sizeInBytes();
    }
    BatchMeta meta = new BatchMeta(batch, bytes);
    if (batch.producerId() >= 0) {
      producers.computeIfAbsent(batch.producerId(), id -> new ProducerState())
          .written(batch.producerEpoch(), batch.baseSequence(), batch.records().size(),
              meta.firstOffset, batch.appendTime());
    }
    batches.add(meta);
    sizeBytes += bytes;
    cachedBytes += bytes;
    nextOffset = Math.max(nextOffset, meta.lastOffset + 1);
    while (cachedBytes > cacheBudget && firstCached < batches.size() - 1) {
      BatchMeta evicted = batches.get(firstCached++);
      cachedBytes -= evicted.bytes;
      evicted.cached = null;
    }
  }

  /** Drops every batch whose records all lie below {@code newStart}; moves the start offset. */
  void truncateBefore(long newStart, long next) {
    int drop = 0;
    while (drop < batches.size() && batches.get(drop).lastOffset < newStart) {
      BatchMeta m = batches.get(drop++);
      sizeBytes -= m.bytes;
      if (m.cached != null) {
        cachedBytes -= m.bytes;
      }
    }
    batches.subList(0, drop).clear();
    firstCached = Math.max(0, firstCached - drop);
    logStartOffset = Math.max(logStartOffset, newStart);
    nextOffset = Math.max(nextOffset, next);
  }

  /** Forgets every batch; a rewrite of the whole log follows. */
  void clear(long start, long next) {
    batches.clear();
    sizeBytes = 0;
    cachedBytes = 0;
    firstCached = 0;
    logStartOffset = start;
    nextOffset = Math.max(nextOffset, next);
  }

  /** The index of the first batch holding an offset at or after {@code offset}, or size(). */
  int indexOf(long offset) {
    int lo = 0;
    int hi = batches.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (batches.get(mid).lastOffset < offset) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The cached batches from index {@code from} up to about {@code maxBytes}, or null if not cached. */
  List<PartitionEntity.BatchAppended> cachedFrom(int from, long maxBytes) {
    if (from < firstCached) {
      return null;
    }
    List<PartitionEntity.BatchAppended> out = new ArrayList<>();
    long bytes = 0;
    for (int i = from; i < batches.size() && (out.isEmpty() || bytes < maxBytes); i++) {
      out.add(batches.get(i).cached);
      bytes += batches.get(i).bytes;
    }
    return out;
  }

  /** The last batch index to read from {@code from} for about {@code maxBytes}. */
  int lastIndexFor(int from, long maxBytes) {
    long bytes = 0;
    int i = from;
    for (; i < batches.size(); i++) {
      bytes += batches.get(i).bytes;
      if (bytes >= maxBytes) {
        break;
      }
    }
    return Math.min(i, batches.size() - 1);
  }
}
