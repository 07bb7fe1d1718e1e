package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.PgSplit;
import io.weir.connectors.postgres.PostgresCdcException;
import io.weir.connectors.postgres.PostgresCdcSettings;
import io.weir.connectors.postgres.SnapshotMode;
import io.weir.connectors.postgres.SnapshotPosition;
import io.weir.connectors.postgres.SnapshotSegment;
import io.weir.connectors.postgres.internal.PgOutputMessage.Begin;
import io.weir.connectors.postgres.internal.PgOutputMessage.Commit;
import io.weir.connectors.postgres.internal.PgOutputMessage.Relation;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamAbort;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamCommit;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamStart;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamStop;
import io.weir.connectors.postgres.internal.PgOutputMessage.Type;
import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * The blocking half of a reader, on its own thread: sets up the publication and slot, reads the
 * snapshot, then streams from the slot, handing items to the reader through a bounded queue.
 * Confirms positions to the server only when the reader asks ({@link #confirm}).
 */
final class CdcWorker implements Runnable {
  private static final long IDLE_SLEEP_MILLIS = 5;
  private static final long SLOT_BUSY_RETRY_MILLIS = 30_000;

  private final PostgresCdcSettings settings;
  private final PgSplit split;
  private final BlockingQueue<CdcItem> queue;
  private final Runnable onItem;
  private final Clock clock;
  private final ReplicationSetup setup;
  private final AtomicLong confirmRequest = new AtomicLong();
  private volatile boolean stopped;
  private volatile Connection replication;
  private volatile Connection plain;
  /** The stream once started; touched only by the worker's thread. */
  private PGReplicationStream stream;
  private long confirmed;
  private long lastStatusAt;
  private SnapshotBoundaries boundaries;
  private final PgOutputDecoder decoder = new PgOutputDecoder();
  /** Streamed transactions held until they commit or abort. */
  private final HeldTransactions held;
  /** Changes per table of the transaction being handed over, for its metadata. */
  private final Map<String, Long> txCounts = new LinkedHashMap<>();
  private long indexInTx;
  /** The transaction the resumed checkpoint emitted in part, and how many of its events. */
  private long skipTx;
  private long skipEvents;
  private ChangeEventAssembler assembler;
  private TypeRegistry types;
  private Connection sql;

  CdcWorker(PostgresCdcSettings settings, PgSplit split, BlockingQueue<CdcItem> queue,
      Runnable onItem, Clock clock) {
    this.settings = settings;
    this.split = split;
    this.queue = queue;
    this.onItem = onItem;
    this.clock = clock;
    this.setup = new ReplicationSetup(settings);
    this.held = new HeldTransactions(settings.streamingMemoryBytes());
  }

  /** Asks the worker to confirm {@code lsn} to the server as flushed; thread-safe. */
  void confirm(long lsn) {
    confirmRequest.accumulateAndGet(lsn, Math::max);
  }

  /** Stops the worker and closes its connections; thread-safe, does not wait. */
  void stop() {
    stopped = true;
  }

  /**
   * Aborts the worker's connections, for a stopped worker blocked in a query (a snapshot
   * waiting for a lock, say): its query fails, and the failure is ignored as it is stopped.
   * Thread-safe, does not wait.
   */
  void abort() {
    stopped = true;
    for (Connection connection : new Connection[] {plain, replication}) {
      if (connection != null) {
        try {
          connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
          // closing anyway
        }
      }
    }
  }

  @Override
  public void run() {
    try (Connection sql = setup.openSql()) {
      plain = sql;
      setup.checkWalLevel(sql);
      if (settings.streaming() && sql.getMetaData().getDatabaseMajorVersion() < 14) {
        throw new PostgresCdcException("streaming of in-progress transactions needs PostgreSQL"
            + " 14 or later, the server is " + sql.getMetaData().getDatabaseProductVersion()
            + ": turn the source's streaming off", null);
      }
      TypeRegistry types = TypeRegistry.load(sql);
      ValueConverter converter = new ValueConverter(types);
      String database = ReplicationSetup.database(sql);
      setup.ensurePublication(sql);
      boolean exists = setup.slotExists(sql);
      try (Connection repl = setup.openReplication()) {
        replication = repl;
        long startLsn = split.resumeLsn();
        List<SnapshotSegment> segments = split.segments();
        if (!exists && (split.snapshotDone() || split.snapshotUnderWay())) {
          if (settings.snapshotMode() != SnapshotMode.WHEN_NEEDED) {
            throw new PostgresCdcException.SlotMissing(settings.slotName());
          }
          startLsn = snapshot(sql, repl, converter, database);
          segments = List.of();
        } else if (split.snapshotUnderWay()) {
          segments = resumeSnapshot(sql, repl, converter, database);
        } else if (!split.snapshotDone()) {
          if (settings.snapshotMode() == SnapshotMode.NEVER) {
            if (!exists) {
              startLsn = setup.createSlot(repl).consistentLsn();
            }
            put(new CdcItem.SnapshotDone(startLsn));
          } else {
            // A fresh start owns the slot: a stale one cannot give a consistent snapshot.
            if (exists) {
              setup.dropSlot(sql);
            }
            startLsn = snapshot(sql, repl, converter, database);
            segments = List.of();
          }
        }
        long endAt = 0;
        if (settings.snapshotMode() == SnapshotMode.INITIAL_ONLY) {
          long streamFrom = startLsn;
          if (segments.stream().allMatch(seg -> seg.lsn() <= streamFrom)) {
            setup.dropSlot(sql);
            put(new CdcItem.End());
            return;
          }
          // A resumed snapshot read its segments at different points: stream up to the last
          // one, so that the result is the tables as of that point.
          endAt = segments.stream().mapToLong(SnapshotSegment::lsn).max().orElseThrow();
        }
        boundaries = new SnapshotBoundaries(segments, tableIds(), sql);
        stream(repl, sql, types, new ChangeEventAssembler(database, converter, clock),
            startLsn, endAt);
        if (endAt > 0 && !stopped) {
          setup.dropSlot(sql);
          put(new CdcItem.End());
        }
      }
    } catch (Throwable e) {
      if (!stopped) {
        put(new CdcItem.Failed(slotGone(e)
            ? new PostgresCdcException.SlotMissing(settings.slotName()) : e));
      }
    } finally {
      replication = null;
      plain = null;
    }
  }

  /** Whether the server refused because the slot does not exist (dropped while we ran). */
  private static boolean slotGone(Throwable e) {
    return e instanceof SQLException sqlException && "42704".equals(sqlException.getSQLState())
        && String.valueOf(e.getMessage()).contains("replication slot");
  }

  private List<TableId> tableIds() {
    return settings.tables().stream().map(TableId::parse).toList();
  }

  /** A fresh snapshot in the slot's exported snapshot; returns the slot's consistent point. */
  private long snapshot(Connection sql, Connection repl, ValueConverter converter,
      String database) throws SQLException {
    ReplicationSetup.CreatedSlot slot = setup.createSlot(repl);
    put(new CdcItem.SnapshotStarted(slot.consistentLsn()));
    new SnapshotReader(sql, converter, database, settings.snapshotChunkSize(), clock).read(
        tableIds(), slot.snapshotName(), slot.consistentLsn(), 0, null, this::put,
        () -> stopped);
    put(new CdcItem.SnapshotDone(slot.consistentLsn()));
    return slot.consistentLsn();
  }

  /**
   * Reads the rest of an interrupted snapshot in the exported snapshot of a temporary slot,
   * from the split's position on; the slot itself still stands at its consistent point, where
   * streaming starts. Returns the segments, the new one last.
   */
  private List<SnapshotSegment> resumeSnapshot(Connection sql, Connection repl,
      ValueConverter converter, String database) throws SQLException {
    SnapshotPosition at = split.snapshot();
    String temporary = setup.temporarySlotName();
    ReplicationSetup.CreatedSlot slot = setup.createTemporarySlot(repl, temporary);
    SnapshotSegment segment = new SnapshotSegment(slot.consistentLsn(), at.table(),
        at.afterKey());
    put(new CdcItem.SnapshotResumed(segment));
    new SnapshotReader(sql, converter, database, settings.snapshotChunkSize(), clock).read(
        tableIds(), slot.snapshotName(), slot.consistentLsn(), at.table(), at.afterKey(),
        this::put, () -> stopped);
    setup.dropReplicationSlot(repl, temporary);
    put(new CdcItem.SnapshotDone(split.resumeLsn()));
    List<SnapshotSegment> segments = new ArrayList<>(split.segments());
    segments.add(segment);
    return segments;
  }

  private void stream(Connection repl, Connection sql, TypeRegistry types,
      ChangeEventAssembler assembler, long startLsn, long endAt) throws Exception {
    stream = startStream(repl, startLsn);
    lastStatusAt = clock.millis();
    this.assembler = assembler;
    this.types = types;
    this.sql = sql;
    skipTx = split.partialTxLsn();
    skipEvents = split.partialTxEvents();
    long lastHeartbeat = startLsn;
    long lastHeartbeatAt = clock.millis();
    Begin tx = null;
    StreamedTransaction block = null; // the streamed transaction whose block is being read
    long idleSleep = 0;
    try {
      reading:
      while (!stopped) {
        keepAlive();
        ByteBuffer buffer = stream.readPending();
        if (buffer == null) {
          long received = stream.getLastReceiveLSN().asLong();
          if (tx == null && block == null && received > lastHeartbeat && (received >= endAt
              && endAt > 0
              || clock.millis() - lastHeartbeatAt >= settings.statusInterval().toMillis())) {
            put(new CdcItem.Heartbeat(received));
            lastHeartbeat = received;
            lastHeartbeatAt = clock.millis();
            if (endAt > 0 && received >= endAt) {
              break reading;
            }
          }
          // Back off from 1 ms to IDLE_SLEEP_MILLIS: a stream that has just been read is
          // likely to have more soon, an idle one need not be looked at often.
          idleSleep = Math.min(IDLE_SLEEP_MILLIS, idleSleep + 1);
          TimeUnit.MILLISECONDS.sleep(idleSleep);
          continue;
        }
        idleSleep = 0;
        if (block != null) {
          // Inside a streamed block: keep the transaction's messages raw until it ends.
          long subXid = PgOutputDecoder.streamedXid(buffer);
          if (subXid >= 0) {
            if (buffer.get(buffer.position()) == 'Y') {
              types.refresh(sql, ((Type) decoder.decode(buffer.duplicate(), true)).oid());
            }
            block.add(buffer, subXid);
            continue;
          }
        }
        PgOutputMessage message = decoder.decode(buffer);
        if (message instanceof Begin begin) {
          tx = begin;
          startTx();
        } else if (message instanceof Commit commit) {
          endTx(tx, commit.endLsn());
          lastHeartbeat = Math.max(lastHeartbeat, commit.endLsn());
          tx = null;
          if (endAt > 0 && commit.endLsn() >= endAt) {
            break;
          }
        } else if (message instanceof StreamStart start) {
          block = streamStarted(start, tx);
        } else if (message instanceof StreamStop) {
          if (block == null) {
            throw new IllegalStateException("Stream Stop outside a streamed block");
          }
          block = null;
        } else if (message instanceof StreamCommit commit) {
          streamCommitted(commit, block);
          lastHeartbeat = Math.max(lastHeartbeat, commit.endLsn());
          if (endAt > 0 && commit.endLsn() >= endAt) {
            break;
          }
        } else if (message instanceof StreamAbort abort) {
          held.aborted(abort);
        } else if (message instanceof Relation relation) {
          assembler.relation(relation);
        } else if (message instanceof Type type) {
          types.refresh(sql, type.oid());
        } else if (message instanceof PgOutputMessage.Other) {
          continue;
        } else {
          if (tx == null) {
            throw new IllegalStateException("row change outside a transaction");
          }
          change(message, tx);
        }
      }
      stream.close();
    } finally {
      held.close();
    }
  }

  /** A streamed block starts: returns its transaction's buffer, new for a first block. */
  private StreamedTransaction streamStarted(StreamStart start, Begin tx) {
    if (!settings.streaming()) {
      throw new IllegalStateException("the server streams transaction " + start.xid()
          + " in progress, but streaming was not asked for");
    }
    if (tx != null) {
      throw new IllegalStateException("Stream Start inside transaction " + tx.xid());
    }
    // The XLogData of a Stream Start carries the LSN of the block's first change.
    return held.blockStarted(start, stream.getLastReceiveLSN().asLong());
  }

  /** A streamed transaction committed: hands its changes over as one transaction. */
  private void streamCommitted(StreamCommit commit, StreamedTransaction block)
      throws SQLException {
    if (block != null) {
      throw new IllegalStateException("Stream Commit inside a streamed block");
    }
    StreamedTransaction buffered = held.committed(commit.xid());
    Begin tx = new Begin(commit.commitLsn(), commit.commitTimeMicros(), commit.xid());
    try (buffered) {
      startTx();
      buffered.replay(raw -> {
        PgOutputMessage message = decoder.decode(raw, true);
        if (message instanceof Relation relation) {
          assembler.relation(relation);
        } else if (!(message instanceof Type || message instanceof PgOutputMessage.Other)) {
          change(message, tx);
        }
      });
    }
    endTx(tx, commit.endLsn());
  }

  private void startTx() {
    indexInTx = 0;
    txCounts.clear();
  }

  /** Ends transaction {@code tx}: its END event when asked for, then its end position. */
  private void endTx(Begin tx, long endLsn) {
    if (settings.provideTransactionMetadata() && !txCounts.isEmpty()) {
      emit(assembler.boundary(Operation.END, tx, txCounts), tx);
    }
    txCounts.clear();
    put(new CdcItem.TxEnd(endLsn));
  }

  /** Hands over the events of one row message of transaction {@code tx}. */
  private void change(PgOutputMessage message, Begin tx) throws SQLException {
    for (ChangeEvent assembled : assembler.events(message, tx)) {
      ChangeEvent event = boundaries.apply(assembled, tx.finalLsn());
      if (event == null) {
        continue; // the resumed snapshot read it
      }
      if (settings.provideTransactionMetadata()) {
        if (txCounts.isEmpty()) {
          emit(assembler.boundary(Operation.BEGIN, tx, Map.of()), tx);
        }
        String table = event.source().schema() + "." + event.source().table();
        long inTable = txCounts.merge(table, 1L, Long::sum);
        long total = txCounts.values().stream().mapToLong(Long::longValue).sum();
        event = event.withTransaction(new ChangeEvent.TransactionInfo(
            ChangeEventAssembler.transactionId(tx), total, inTable, 0, Map.of()));
      }
      emit(event, tx);
    }
  }

  /**
   * Hands over the next event of transaction {@code tx}, unless the checkpoint this reader
   * resumed from had it already.
   */
  private void emit(ChangeEvent event, Begin tx) {
    indexInTx++;
    if (tx.finalLsn() != skipTx || indexInTx > skipEvents) {
      put(new CdcItem.Event(event, tx.finalLsn(), indexInTx));
    }
  }

  /**
   * Starts streaming. A slot still held by the server process of a reader that just stopped
   * (after a failure, a restart) is retried for a while before the failure counts.
   */
  private PGReplicationStream startStream(Connection repl, long startLsn) throws Exception {
    long deadline = clock.millis() + SLOT_BUSY_RETRY_MILLIS;
    while (true) {
      try {
        var builder = repl.unwrap(PGConnection.class).getReplicationAPI()
            .replicationStream().logical()
            .withSlotName(settings.slotName())
            .withStartPosition(LogSequenceNumber.valueOf(startLsn))
            .withSlotOption("proto_version", settings.streaming() ? "2" : "1")
            .withSlotOption("publication_names", settings.publicationName())
            .withStatusInterval((int) settings.statusInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        if (settings.streaming()) {
          builder = builder.withSlotOption("streaming", "on");
        }
        return builder.start();
      } catch (SQLException e) {
        if (!"55006".equals(e.getSQLState()) || clock.millis() > deadline || stopped) {
          throw e;
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
  }

  /**
   * Confirms what the reader asked for, and sends a status update when one is due, also while
   * the job backpressures the worker: a silent client is dropped by the server after
   * {@code wal_sender_timeout}.
   */
  private void keepAlive() {
    if (stream == null) {
      return;
    }
    try {
      long wanted = held.confirmable(confirmRequest.get());
      long now = clock.millis();
      if (wanted > confirmed) {
        stream.setFlushedLSN(LogSequenceNumber.valueOf(wanted));
        stream.setAppliedLSN(LogSequenceNumber.valueOf(wanted));
        stream.forceUpdateStatus();
        confirmed = wanted;
        lastStatusAt = now;
      } else if (now - lastStatusAt >= settings.statusInterval().toMillis()) {
        stream.forceUpdateStatus();
        lastStatusAt = now;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("status update to the server failed: " + e.getMessage(),
          e);
    }
  }

  /** Hands an item over, waiting while the queue is full; gives up when stopped. */
  private void put(CdcItem item) {
    try {
      while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
        if (stopped) {
          throw new StopException();
        }
        keepAlive();
      }
      onItem.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StopException();
    }
  }

  /** Unwinds the worker when it is stopped while waiting. */
  private static final class StopException extends RuntimeException {
    StopException() {
      super("stopped", null, false, false);
    }
  }
}
