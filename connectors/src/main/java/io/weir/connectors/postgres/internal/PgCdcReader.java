package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.PgSplit;
import io.weir.connectors.postgres.PostgresCdcSettings;
import io.weir.connectors.postgres.SnapshotPosition;
import io.weir.connectors.postgres.SnapshotSegment;
import io.weir.stream.api.source.InputStatus;
import io.weir.stream.api.source.ReaderOutput;
import io.weir.stream.api.source.SourceReader;
import io.weir.stream.api.source.SourceReaderContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads the slot's split: a {@link CdcWorker} thread does the blocking work and fills a bounded
 * queue; {@code pollNext} drains it on the subtask's thread, keeping the split's position in
 * step with what it emitted. A completed checkpoint confirms its position to the server.
 */
public final class PgCdcReader implements SourceReader<ChangeEvent, PgSplit> {
  private static final int BATCH = 512;

  private final PostgresCdcSettings settings;
  private final SourceReaderContext context;
  private final Clock clock;
  private final BlockingQueue<CdcItem> queue;
  private final List<CdcItem> drained = new ArrayList<>();
  /** Checkpoint id to the LSN safe to confirm once it completes. */
  private final TreeMap<Long, Long> pendingConfirms = new TreeMap<>();
  private volatile CompletableFuture<Void> available = new CompletableFuture<>();
  private PgSplit split;
  private CdcWorker worker;
  private Thread thread;
  private boolean ended;
  private SnapshotMeters meters;

  /** A reader with the system clock. */
  public PgCdcReader(PostgresCdcSettings settings, SourceReaderContext context) {
    this(settings, context, Clock.systemUTC());
  }

  /**
   * @param settings what to capture
   * @param context the link to the subtask
   * @param clock gives the events' {@code ts_ms} and paces heartbeats
   */
  public PgCdcReader(PostgresCdcSettings settings, SourceReaderContext context, Clock clock) {
    this.settings = settings;
    this.context = context;
    this.clock = clock;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
  }

  @Override
  public void start() {
    // Every reader asks: the enumerator answers reader 0 with the split, and the others of a
    // bounded source with "no more splits", so that they end.
    context.sendSplitRequest();
  }

  @Override
  public void addSplits(List<PgSplit> splits) {
    if (splits.isEmpty()) {
      return;
    }
    if (split != null || splits.size() > 1) {
      throw new IllegalStateException("a PostgreSQL CDC reader reads one slot, got " + splits
          + (split == null ? "" : " while reading " + split));
    }
    split = splits.get(0);
    meters = new SnapshotMeters(context.metrics(), settings.slotName(),
        settings.tables().stream().map(TableId::parse).toList());
    meters.start(split);
    worker = new CdcWorker(settings, split, queue, this::signal, clock);
    thread = new Thread(worker, "weir-cdc-" + settings.slotName());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void notifyNoMoreSplits() {
    if (split == null) {
      ended = true;
      signal();
    }
  }

  @Override
  public InputStatus pollNext(ReaderOutput<ChangeEvent> output) throws Exception {
    if (ended) {
      return InputStatus.END_OF_INPUT;
    }
    // One poll hands on what the queue holds now, never what the worker adds meanwhile, so a
    // poll is bounded by the queue's capacity and the worker cannot keep one poll going.
    drained.clear();
    if (queue.drainTo(drained, BATCH) == 0) {
      return InputStatus.NOTHING_AVAILABLE;
    }
    for (CdcItem item : drained) {
      if (item instanceof CdcItem.Event event) {
        output.collect(event.event(), event.event().source().tsMs());
        if (event.txLsn() != 0) {
          split = new PgSplit(split.splitId(), true, split.resumeLsn(), event.txLsn(),
              event.indexInTx(), null, split.segments());
        }
      } else if (item instanceof CdcItem.SnapshotRead read) {
        output.collect(read.event(), read.event().source().tsMs());
        split = new PgSplit(split.splitId(), false, split.resumeLsn(), 0, 0,
            split.snapshot().afterRow(read.table(), read.key()), split.segments());
        meters.row(read.table());
      } else if (item instanceof CdcItem.ChunkRead chunk) {
        split = new PgSplit(split.splitId(), false, split.resumeLsn(), 0, 0,
            split.snapshot().afterChunk(chunk.table()), split.segments());
        meters.chunk(chunk.table());
      } else if (item instanceof CdcItem.SnapshotStarted started) {
        split = new PgSplit(split.splitId(), false, started.lsn(), 0, 0,
            SnapshotPosition.start(settings.tables().size()),
            List.of(new SnapshotSegment(started.lsn(), 0, null)));
        meters.started();
      } else if (item instanceof CdcItem.SnapshotResumed resumed) {
        List<SnapshotSegment> segments = new ArrayList<>(split.segments());
        segments.add(resumed.segment());
        split = new PgSplit(split.splitId(), false, split.resumeLsn(), 0, 0, split.snapshot(),
            segments);
        meters.resumed();
      } else if (item instanceof CdcItem.TxEnd end) {
        streamedTo(Math.max(split.resumeLsn(), end.endLsn()));
      } else if (item instanceof CdcItem.Heartbeat beat) {
        if (split.partialTxLsn() == 0 && beat.lsn() > split.resumeLsn()) {
          streamedTo(beat.lsn());
        }
      } else if (item instanceof CdcItem.SnapshotDone done) {
        split = new PgSplit(split.splitId(), true, done.lsn(), 0, 0, null, split.segments());
        streamedTo(done.lsn());
        meters.done();
      } else if (item instanceof CdcItem.End) {
        ended = true;
        return InputStatus.END_OF_INPUT;
      } else if (item instanceof CdcItem.Failed failed) {
        throw failed.failure() instanceof Exception e ? e : new RuntimeException(
            failed.failure());
      }
    }
    return queue.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
  }

  @Override
  public CompletionStage<Void> isAvailable() {
    if (!queue.isEmpty() || ended) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> next = available;
    if (next.isDone()) {
      next = new CompletableFuture<>();
      available = next;
    }
    if (!queue.isEmpty()) { // the worker may have added between the check and the swap
      next.complete(null);
    }
    return next;
  }

  private void signal() {
    available.complete(null);
  }

  /** Moves the split to {@code lsn}, dropping segments no later change can fall before. */
  private void streamedTo(long lsn) {
    List<SnapshotSegment> segments = lsn >= split.segmentsEnd() ? List.of() : split.segments();
    split = new PgSplit(split.splitId(), true, lsn, 0, 0, null, segments);
  }

  /** The split with the position after the last event emitted, or nothing before it came. */
  @Override
  public List<PgSplit> snapshotState(long checkpointId) {
    if (split == null) {
      return List.of();
    }
    if (split.snapshotDone() && split.resumeLsn() > 0) {
      pendingConfirms.put(checkpointId, split.resumeLsn());
    }
    return List.of(split);
  }

  /** Confirms to the server the position of checkpoint {@code checkpointId}, and no later one. */
  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    Map<Long, Long> done = pendingConfirms.headMap(checkpointId, true);
    Long lsn = pendingConfirms.get(checkpointId);
    if (lsn != null && worker != null) {
      worker.confirm(lsn);
    }
    done.clear();
  }

  /** The split's current position, or null before it came (for tests). */
  public PgSplit currentSplit() {
    return split;
  }

  @Override
  public void close() throws Exception {
    if (worker != null) {
      worker.stop();
      thread.join(2_000);
      if (thread.isAlive()) { // blocked in a query: do not hold the subtask's thread for it
        worker.abort();
        thread.join(5_000);
      }
    }
  }
}
