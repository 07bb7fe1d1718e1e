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
  /** Open transactions: producer id to the first offset it wrote in the transaction. */
  final java.util.HashMap<Long, Long> ongoing = new java.util.HashMap<>();
  /** Aborted transactions within the retained log, in marker order. */
  final ArrayList<AbortedTxn> aborted = new ArrayList<>();

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
    if (batch.isControl()) {
      Long first = ongoing.remove(batch.producerId());
      if (first != null && !batch.commits()) {
        aborted.add(new AbortedTxn(batch.producerId(), first, meta.lastOffset));
      }
      producers.computeIfAbsent(batch.producerId(), id -> new ProducerState())
          .fence(batch.producerEpoch());
    } else if (batch.isTransactional()) {
      ongoing.putIfAbsent(batch.producerId(), meta.firstOffset);
    }
    if (batch.producerId() >= 0 && !batch.isControl()) {
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

  /** The first offset of the oldest open transaction, or the log end: read_committed's limit. */
  long lastStableOffset() {
    long lso = nextOffset;
    for (long first : ongoing.values()) {
      lso = Math.min(lso, first);
    }
    return lso;
  }

  /** The aborted transactions that overlap [from, to]. */
  List<AbortedTxn> abortedBetween(long from, long to) {
    List<AbortedTxn> out = new ArrayList<>();
    for (AbortedTxn a : aborted) {
      if (a.lastOffset() >= from && a.firstOffset() <= to) {
        out.add(a);
      }
    }
    return out;
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
    aborted.removeIf(a -> a.lastOffset() < newStart);
    firstCached = Math.max(0, firstCached - drop);
    logStartOffset = Math.max(logStartOffset, newStart);
    nextOffset = Math.max(nextOffset, next);
  }

  /** Forgets every batch; a rewrite of the whole log follows. */
  void clear(long start, long next) {
    batches.clear();
    aborted.clear();
    ongoing.clear();
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

  /** The cached batches {@code from..to} (inclusive), or null if some are not cached. */
  List<PartitionEntity.BatchAppended> cachedRange(int from, int to) {
    if (from < firstCached) {
      return null;
    }
    List<PartitionEntity.BatchAppended> out = new ArrayList<>(to - from + 1);
    for (int i = from; i <= to; i++) {
      out.add(batches.get(i).cached);
    }
    return out;
  }

  /**
   * The last batch index to read from {@code from} for about {@code maxBytes}, taking only
   * batches that start below {@code limit}; {@code from} itself must start below it.
   */
  int lastIndexFor(int from, long maxBytes, long limit) {
    long bytes = 0;
    int i = from;
    while (true) {
      bytes += batches.get(i).bytes;
      if (bytes >= maxBytes || i + 1 >= batches.size() || batches.get(i + 1).firstOffset >= limit) {
        return i;
      }
      i++;
    }
  }
}
