package io.weir.connectors.postgres.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The messages of one streamed in-progress transaction (protocol 2), held until it commits or
 * aborts: in memory up to a bound of bytes, past it appended to a temporary file. Each message
 * is kept raw, with the xid of the (sub)transaction that made it, so that an aborted
 * subtransaction's changes are skipped when the transaction is replayed. Not thread-safe.
 */
final class StreamedTransaction implements AutoCloseable {
  private final long xid;
  private final long firstLsn;
  private final long memoryLimit;
  private final List<byte[]> inMemory = new ArrayList<>();
  private final List<Long> inMemoryXids = new ArrayList<>();
  private final Set<Long> abortedSubXids = new HashSet<>();
  private long memoryBytes;
  private long count;
  private Path spillFile;
  private DataOutputStream spill;

  /**
   * @param xid the top-level transaction's xid
   * @param firstLsn the LSN of its first streamed change
   * @param memoryLimit bytes of messages held in memory before the rest spills to a file
   */
  StreamedTransaction(long xid, long firstLsn, long memoryLimit) {
    this.xid = xid;
    this.firstLsn = firstLsn;
    this.memoryLimit = memoryLimit;
  }

  /** The top-level transaction's xid. */
  long xid() {
    return xid;
  }

  /** The LSN of the transaction's first streamed change. */
  long firstLsn() {
    return firstLsn;
  }

  /** How many messages were added. */
  long count() {
    return count;
  }

  /** Whether messages went to a temporary file. */
  boolean spilled() {
    return spillFile != null;
  }

  /**
   * Keeps one message of a streamed block.
   *
   * @param message the message from its tag byte, read from its position (left unmoved)
   * @param subXid the xid it carries (the transaction's or a subtransaction's)
   */
  void add(ByteBuffer message, long subXid) {
    byte[] bytes = new byte[message.remaining()];
    message.duplicate().get(bytes);
    count++;
    try {
      if (spill == null && memoryBytes + bytes.length > memoryLimit) {
        spillFile = Files.createTempFile("weir-cdc-tx-" + xid + "-", ".spill");
        spill = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spillFile),
            1 << 16));
      }
      if (spill != null) {
        spill.writeLong(subXid);
        spill.writeInt(bytes.length);
        spill.write(bytes);
      } else {
        inMemory.add(bytes);
        inMemoryXids.add(subXid);
        memoryBytes += bytes.length;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill streamed transaction " + xid + " to "
          + spillFile + ": " + e.getMessage(), e);
    }
  }

  /** Drops the changes of subtransaction {@code subXid} (rolled back to its savepoint). */
  void abortSubtransaction(long subXid) {
    abortedSubXids.add(subXid);
  }

  /**
   * Hands every kept message to {@code sink} in the order they came, leaving out the row
   * changes of aborted subtransactions (their Relation and Type messages stay: the server does
   * not send those again). Each buffer holds one message from its tag byte.
   */
  void replay(Sink sink) throws SQLException {
    for (int i = 0; i < inMemory.size(); i++) {
      offer(ByteBuffer.wrap(inMemory.get(i)), inMemoryXids.get(i), sink);
    }
    if (spill == null) {
      return;
    }
    try {
      spill.flush();
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(
          Files.newInputStream(spillFile), 1 << 16))) {
        while (true) {
          long subXid;
          try {
            subXid = in.readLong();
          } catch (EOFException end) {
            break;
          }
          byte[] bytes = new byte[in.readInt()];
          in.readFully(bytes);
          offer(ByteBuffer.wrap(bytes), subXid, sink);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read streamed transaction " + xid + " back from "
          + spillFile + ": " + e.getMessage(), e);
    }
  }

  private void offer(ByteBuffer message, long subXid, Sink sink) throws SQLException {
    if (abortedSubXids.contains(subXid) && isRowChange((char) message.get(0))) {
      return;
    }
    sink.accept(message);
  }

  /** Takes the replayed messages. */
  @FunctionalInterface
  interface Sink {
    /** Takes one message, from its tag byte. */
    void accept(ByteBuffer message) throws SQLException;
  }

  private static boolean isRowChange(char tag) {
    return tag == 'I' || tag == 'U' || tag == 'D' || tag == 'T' || tag == 'M';
  }

  /** Deletes the temporary file, if any. */
  @Override
  public void close() {
    inMemory.clear();
    inMemoryXids.clear();
    if (spill != null) {
      try {
        spill.close();
        Files.deleteIfExists(spillFile);
      } catch (IOException e) {
        spillFile.toFile().deleteOnExit();
      } finally {
        spill = null;
      }
    }
  }
}
