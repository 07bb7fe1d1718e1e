package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.PgSplit;
import io.weir.connectors.postgres.PostgresCdcException;
import io.weir.connectors.postgres.PostgresCdcSettings;
import io.weir.connectors.postgres.SnapshotMode;
import io.weir.connectors.postgres.internal.PgOutputMessage.Begin;
import io.weir.connectors.postgres.internal.PgOutputMessage.Commit;
import io.weir.connectors.postgres.internal.PgOutputMessage.Relation;
import io.weir.connectors.postgres.internal.PgOutputMessage.Type;
import io.weir.connectors.postgres.ChangeEvent;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
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
  /** The stream once started; touched only by the worker's thread. */
  private PGReplicationStream stream;
  private long confirmed;
  private long lastStatusAt;

  CdcWorker(PostgresCdcSettings settings, PgSplit split, BlockingQueue<CdcItem> queue,
      Runnable onItem, Clock clock) {
    this.settings = settings;
    this.split = split;
    this.queue = queue;
    this.onItem = onItem;
    this.clock = clock;
    this.setup = new ReplicationSetup(settings);
  }

  /** Asks the worker to confirm {@code lsn} to the server as flushed; thread-safe. */
  void confirm(long lsn) {
    confirmRequest.accumulateAndGet(lsn, Math::max);
  }

  /** Stops the worker and closes its connections; thread-safe, does not wait. */
  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    try (Connection sql = setup.openSql()) {
      setup.checkWalLevel(sql);
      TypeRegistry types = TypeRegistry.load(sql);
      ValueConverter converter = new ValueConverter(types);
      String database = ReplicationSetup.database(sql);
      setup.ensurePublication(sql);
      boolean exists = setup.slotExists(sql);
      try (Connection repl = setup.openReplication()) {
        replication = repl;
        long startLsn = split.resumeLsn();
        if (split.snapshotDone() && !exists) {
          if (settings.snapshotMode() != SnapshotMode.WHEN_NEEDED) {
            throw new PostgresCdcException.SlotMissing(settings.slotName());
          }
          startLsn = snapshot(sql, repl, converter, database);
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
            if (settings.snapshotMode() == SnapshotMode.INITIAL_ONLY) {
              setup.dropSlot(sql);
              put(new CdcItem.End());
              return;
            }
          }
        }
        stream(repl, sql, types, new ChangeEventAssembler(database, converter, clock),
            startLsn);
      }
    } catch (Throwable e) {
      if (!stopped) {
        put(new CdcItem.Failed(slotGone(e)
            ? new PostgresCdcException.SlotMissing(settings.slotName()) : e));
      }
    } finally {
      replication = null;
    }
  }

  /** Whether the server refused because the slot does not exist (dropped while we ran). */
  private static boolean slotGone(Throwable e) {
    return e instanceof SQLException sqlException && "42704".equals(sqlException.getSQLState())
        && String.valueOf(e.getMessage()).contains("replication slot");
  }

  private long snapshot(Connection sql, Connection repl, ValueConverter converter,
      String database) throws SQLException {
    ReplicationSetup.CreatedSlot slot = setup.createSlot(repl);
    new SnapshotReader(sql, converter, database, settings.snapshotChunkSize(), clock).read(
        settings.tables().stream().map(TableId::parse).toList(), slot.snapshotName(),
        slot.consistentLsn(), event -> put(new CdcItem.Event(event, 0, 0)), () -> stopped);
    put(new CdcItem.SnapshotDone(slot.consistentLsn()));
    return slot.consistentLsn();
  }

  private void stream(Connection repl, Connection sql, TypeRegistry types,
      ChangeEventAssembler assembler, long startLsn) throws Exception {
    stream = startStream(repl, startLsn);
    lastStatusAt = clock.millis();
    PgOutputDecoder decoder = new PgOutputDecoder();
    long skipTx = split.partialTxLsn();
    long skipEvents = split.partialTxEvents();
    long lastHeartbeat = startLsn;
    long lastHeartbeatAt = clock.millis();
    Begin tx = null;
    long indexInTx = 0;
    while (!stopped) {
      keepAlive();
      ByteBuffer buffer = stream.readPending();
      if (buffer == null) {
        long received = stream.getLastReceiveLSN().asLong();
        if (tx == null && received > lastHeartbeat
            && clock.millis() - lastHeartbeatAt >= settings.statusInterval().toMillis()) {
          put(new CdcItem.Heartbeat(received));
          lastHeartbeat = received;
          lastHeartbeatAt = clock.millis();
        }
        TimeUnit.MILLISECONDS.sleep(IDLE_SLEEP_MILLIS);
        continue;
      }
      PgOutputMessage message = decoder.decode(buffer);
      if (message instanceof Begin begin) {
        tx = begin;
        indexInTx = 0;
      } else if (message instanceof Commit commit) {
        put(new CdcItem.TxEnd(commit.endLsn()));
        lastHeartbeat = Math.max(lastHeartbeat, commit.endLsn());
        tx = null;
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
        for (ChangeEvent event : assembler.events(message, tx)) {
          indexInTx++;
          if (tx.finalLsn() == skipTx && indexInTx <= skipEvents) {
            continue; // emitted before the checkpoint this reader resumed from
          }
          put(new CdcItem.Event(event, tx.finalLsn(), indexInTx));
        }
      }
    }
    stream.close();
  }

  /**
   * Starts streaming. A slot still held by the server process of a reader that just stopped
   * (after a failure, a restart) is retried for a while before the failure counts.
   */
  private PGReplicationStream startStream(Connection repl, long startLsn) throws Exception {
    long deadline = clock.millis() + SLOT_BUSY_RETRY_MILLIS;
    while (true) {
      try {
        return repl.unwrap(PGConnection.class).getReplicationAPI()
            .replicationStream().logical()
            .withSlotName(settings.slotName())
            .withStartPosition(LogSequenceNumber.valueOf(startLsn))
            .withSlotOption("proto_version", "1")
            .withSlotOption("publication_names", settings.publicationName())
            .withStatusInterval((int) settings.statusInterval().toMillis(),
                TimeUnit.MILLISECONDS)
            .start();
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
      long wanted = confirmRequest.get();
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
