package io.weir.journal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Reads the stored events of one persistence id in seqNr order, one frame at a time, from a
 * {@link PartitionLog.View}: memory stays bounded by the largest frame, and every frame's CRC
 * is checked before its events are handed out.
 *
 * <p>Not thread-safe: one reader at a time (calls may come from different threads in turn, as
 * in a stream stage). Every method blocks on file I/O. Close it to release its file.
 */
public final class SegmentCursor implements AutoCloseable {
  private final String persistenceId;
  private final List<Segment> segments;
  private final long tailEnd;
  private final long toSeqNr;
  private final LongSupplier currentDeletedTo;
  private long fromSeqNr;
  private long remaining;
  private int segmentIndex;
  private FileChannel channel;
  private long position;
  private long end;

  SegmentCursor(String persistenceId, PartitionLog.View view, long fromSeqNr, long toSeqNr,
      long max, LongSupplier currentDeletedTo) {
    this.persistenceId = persistenceId;
    this.segments = view.segments();
    this.tailEnd = view.tailEnd();
    this.fromSeqNr = Math.max(Math.max(fromSeqNr, 1), view.deletedTo() + 1);
    this.toSeqNr = Math.min(toSeqNr, view.highestSeqNr());
    this.remaining = max;
    this.currentDeletedTo = currentDeletedTo;
    this.segmentIndex = firstSegment(segments, this.fromSeqNr);
  }

  private static int firstSegment(List<Segment> segments, long seqNr) {
    int index = 0;
    for (int i = 1; i < segments.size() && segments.get(i).baseSeqNr() <= seqNr; i++) {
      index = i;
    }
    return index;
  }

  /**
   * The events of the next frame that fall within the range, in seqNr order.
   *
   * @return a non-empty list, or null when the range is exhausted
   * @throws IOException if a file cannot be read
   * @throws CorruptSegmentException if a frame fails its CRC or does not decode
   */
  public List<StoredEvent> next() throws IOException {
    while (remaining > 0 && fromSeqNr <= toSeqNr) {
      if (channel == null && !openSegment()) {
        return null;
      }
      FrameReader.Prefix prefix = FrameReader.readPrefix(channel, position, end);
      if (prefix == null) {
        closeSegment();
        segmentIndex++;
        continue;
      }
      if (!prefix.plausible() || prefix.end() > end) {
        throw corrupt(prefix.position(), "an impossible frame header");
      }
      position = prefix.end();
      if (prefix.lastSeqNr() < fromSeqNr) {
        continue;
      }
      if (prefix.firstSeqNr() > toSeqNr) {
        remaining = 0;
        break;
      }
      ByteBuffer body = FrameReader.readBody(channel, prefix);
      if (body == null) {
        throw corrupt(prefix.position(), "a CRC mismatch");
      }
      List<StoredEvent> events = new ArrayList<>();
      for (StoredEvent e : FrameCodec.decodeBody(body)) {
        if (e.seqNr() >= fromSeqNr && e.seqNr() <= toSeqNr && remaining > 0) {
          events.add(e);
          remaining--;
        }
      }
      fromSeqNr = prefix.lastSeqNr() + 1;
      if (!events.isEmpty()) {
        return events;
      }
    }
    close();
    return null;
  }

  private boolean openSegment() throws IOException {
    while (segmentIndex < segments.size()) {
      Segment segment = segments.get(segmentIndex);
      boolean isTail = segmentIndex == segments.size() - 1;
      try {
        channel = FileChannel.open(segment.path(), StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        long nextBase = isTail ? Long.MAX_VALUE : segments.get(segmentIndex + 1).baseSeqNr();
        if (currentDeletedTo.getAsLong() >= nextBase - 1) {
          segmentIndex++;
          fromSeqNr = Math.max(fromSeqNr, nextBase);
          continue;
        }
        throw e;
      }
      end = isTail ? tailEnd : channel.size();
      position = segment.startPosition(fromSeqNr, end);
      return true;
    }
    return false;
  }

  private CorruptSegmentException corrupt(long at, String what) {
    return new CorruptSegmentException("persistenceId " + persistenceId + ": segment "
        + segments.get(segmentIndex).path() + " has " + what + " at position " + at);
  }

  private void closeSegment() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  /** Releases the open file, if any. Idempotent. */
  @Override
  public void close() throws IOException {
    closeSegment();
    segmentIndex = segments.size();
  }
}
