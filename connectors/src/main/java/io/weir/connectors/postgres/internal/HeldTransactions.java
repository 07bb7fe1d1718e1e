package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.internal.PgOutputMessage.StreamAbort;
import io.weir.connectors.postgres.internal.PgOutputMessage.StreamStart;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The streamed in-progress transactions a reader holds (protocol 2), by xid, until they commit
 * or abort; and the position that may be confirmed to the server while they are held. Not
 * thread-safe: the worker's thread only.
 */
final class HeldTransactions implements AutoCloseable {
  private final long memoryLimit;
  private final Map<Long, StreamedTransaction> byXid = new LinkedHashMap<>();

  /** @param memoryLimit bytes each transaction holds in memory before it spills to a file */
  HeldTransactions(long memoryLimit) {
    this.memoryLimit = memoryLimit;
  }

  /**
   * A streamed block starts: returns its transaction, new for a first block.
   *
   * @param start the Stream Start
   * @param firstLsn the LSN of the block's first change (its XLogData's start)
   * @throws IllegalStateException when a later block comes without the first, or a first block
   *     for a transaction already held
   */
  StreamedTransaction blockStarted(StreamStart start, long firstLsn) {
    StreamedTransaction held = byXid.get(start.xid());
    if (start.firstSegment() != (held == null)) {
      throw new IllegalStateException("streamed transaction " + start.xid() + (held == null
          ? " continues, but its first block never came" : " starts again while held"));
    }
    if (held == null) {
      held = new StreamedTransaction(start.xid(), firstLsn, memoryLimit);
      byXid.put(start.xid(), held);
    }
    return held;
  }

  /**
   * Takes out a committed transaction; the caller replays and closes it.
   *
   * @throws IllegalStateException when the transaction was never streamed
   */
  StreamedTransaction committed(long xid) {
    StreamedTransaction held = byXid.remove(xid);
    if (held == null) {
      throw new IllegalStateException("Stream Commit of transaction " + xid
          + " that was never streamed");
    }
    return held;
  }

  /**
   * Drops an aborted transaction, or marks an aborted subtransaction's changes to be left out.
   * An abort of a transaction not held (none of its changes came) changes nothing.
   */
  void aborted(StreamAbort abort) {
    StreamedTransaction held = byXid.get(abort.xid());
    if (held == null) {
      return;
    }
    if (abort.topLevel()) {
      byXid.remove(abort.xid()).close();
    } else {
      held.abortSubtransaction(abort.subXid());
    }
  }

  /**
   * The highest position that may be confirmed to the server, at most {@code wanted}: before
   * the first change of the oldest transaction held, so that the slot keeps its WAL until it is
   * emitted.
   */
  long confirmable(long wanted) {
    long floor = wanted;
    for (StreamedTransaction held : byXid.values()) {
      floor = Math.min(floor, held.firstLsn());
    }
    return floor;
  }

  /** Drops every transaction held and its temporary file. */
  @Override
  public void close() {
    for (StreamedTransaction held : byXid.values()) {
      held.close();
    }
    byXid.clear();
  }
}
