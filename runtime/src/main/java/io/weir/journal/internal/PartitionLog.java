package io.weir.journal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one persistence id: its segments, its tail and its deletion point.
 *
 * <p>Threading: every mutating method is called by the single writer thread only. Readers use
 * {@link #view()}, an immutable snapshot the writer publishes after a write is acknowledged, so
 * readers see exactly the acknowledged events and never a half-written frame.
 */
final class PartitionLog {
  /**
   * Under {@code fsync = always} the tail is extended with zeros this far ahead of the data, so
   * that the fsync of an append does not also have to commit a new file size (an fdatasync of
   * pre-written blocks costs about half of one that grows the file). Trimmed on roll and close.
   */
  static final long PREALLOCATE_BYTES = 4L << 20;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20);

  /**
   * What readers may read.
   *
   * @param segments the segments in seqNr order; the last one is the tail
   * @param tailEnd the end of acknowledged data in the last segment
   * @param highestSeqNr the highest seqNr ever stored (kept when deleted)
   * @param deletedTo events up to this seqNr are deleted
   */
  record View(List<Segment> segments, long tailEnd, long highestSeqNr, long deletedTo) {}

  private final String persistenceId;
  private final Path dir;
  private final JournalSettings settings;
  private final List<Segment> segments;
  private FileChannel tail;
  private long tailEnd;
  private long allocatedEnd;
  private long highestSeqNr;
  private long deletedTo;
  private boolean dirty;
  private volatile View view;

  private PartitionLog(String persistenceId, Path dir, JournalSettings settings,
      TailRecovery.Result recovered, long deletedTo) {
    this.persistenceId = persistenceId;
    this.dir = dir;
    this.settings = settings;
    this.segments = new ArrayList<>(recovered.segments());
    this.tailEnd = recovered.tailEnd();
    this.deletedTo = deletedTo;
    this.highestSeqNr = Math.max(recovered.lastSeqNr(), deletedTo);
    publish();
  }

  /** Opens and recovers the partition stored in {@code dir}; blocks on file I/O. */
  static PartitionLog open(String persistenceId, Path dir, JournalSettings settings)
      throws IOException {
    long deletedTo = Files.isDirectory(dir) ? DeletionMarker.read(dir) : 0;
    TailRecovery.Result recovered = TailRecovery.recover(persistenceId, dir, settings);
    return new PartitionLog(persistenceId, dir, settings, recovered, deletedTo);
  }

  String persistenceId() {
    return persistenceId;
  }

  /** The latest published snapshot; never null. Any thread. */
  View view() {
    return view;
  }

  /**
   * Checks that the writes continue this partition's sequence numbers in order. Writer thread.
   *
   * @throws IllegalStateException if one does not, before anything was written
   */
  void checkOrder(List<EncodedWrite> writes) {
    long previous = highestSeqNr;
    for (EncodedWrite w : writes) {
      if (w.firstSeqNr() <= previous) {
        throw new IllegalStateException("persistenceId " + persistenceId + ": write of seqNr "
            + w.firstSeqNr() + " does not follow the highest stored seqNr " + previous
            + " (is a second writer active for this persistence id?)");
      }
      previous = w.lastSeqNr();
    }
  }

  /**
   * Writes frames to the tail (OS write, no fsync), rolling to a new segment when the tail is
   * full. Writer thread. After an IOException the partition must be closed and re-opened.
   */
  void append(List<EncodedWrite> writes) throws IOException {
    List<ByteBuffer> pending = new ArrayList<>(writes.size());
    for (EncodedWrite w : writes) {
      int length = w.frame().remaining();
      if (tail == null) {
        openTail(w.firstSeqNr());
      }
      if (tailEnd > FrameCodec.SEGMENT_HEADER_BYTES
          && tailEnd + length > settings.segmentBytes()) {
        writeAll(pending);
        roll(w.firstSeqNr());
      }
      segments.get(segments.size() - 1).indexFrame(w.firstSeqNr(), tailEnd, tailEnd + length);
      pending.add(w.frame().duplicate());
      tailEnd += length;
      highestSeqNr = w.lastSeqNr();
    }
    writeAll(pending);
    dirty = true;
  }

  /** Forces the tail if it has unforced writes. Writer thread; blocks on fsync. */
  void force() throws IOException {
    if (dirty && tail != null) {
      tail.force(false);
    }
    dirty = false;
  }

  /**
   * Records the deletion point durably and removes the segments wholly below it (never the
   * tail). Writer thread; blocks on file I/O.
   */
  void deleteTo(long toSeqNr) throws IOException {
    long target = Math.min(toSeqNr, highestSeqNr);
    if (target <= deletedTo) {
      return;
    }
    DeletionMarker.write(dir, target);
    deletedTo = target;
    while (segments.size() > 1 && segments.get(1).baseSeqNr() - 1 <= target) {
      Files.deleteIfExists(segments.remove(0).path());
    }
    if (settings.fsync() != FsyncPolicy.NEVER) {
      DeletionMarker.forceDirectory(dir);
    }
    publish();
  }

  /** Makes the acknowledged state visible to readers. Writer thread. */
  void publish() {
    view = new View(List.copyOf(segments), tailEnd, highestSeqNr, deletedTo);
  }

  /** Closes the tail channel, forcing it first unless {@code fsync = never}. Writer thread. */
  void close() throws IOException {
    if (tail != null) {
      try {
        trimPreallocation();
        if (settings.fsync() != FsyncPolicy.NEVER) {
          dirty = true;
          force();
        }
      } finally {
        tail.close();
        tail = null;
      }
    }
  }

  private void openTail(long firstSeqNr) throws IOException {
    if (segments.isEmpty()) {
      roll(firstSeqNr);
      return;
    }
    tail = FileChannel.open(segments.get(segments.size() - 1).path(), StandardOpenOption.WRITE);
    tail.position(tailEnd);
    allocatedEnd = tail.size();
  }

  private void roll(long baseSeqNr) throws IOException {
    boolean sync = settings.fsync() != FsyncPolicy.NEVER;
    if (tail != null) {
      trimPreallocation();
      if (sync) {
        tail.force(false);
      }
      tail.close();
      tail = null;
    }
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      if (sync) {
        DeletionMarker.forceDirectory(dir.getParent());
      }
    }
    Segment segment = new Segment(dir, baseSeqNr, settings.indexIntervalBytes());
    tail = FileChannel.open(segment.path(), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE);
    segments.add(segment);
    ByteBuffer header = FrameCodec.segmentHeader(baseSeqNr);
    while (header.hasRemaining()) {
      tail.write(header);
    }
    tailEnd = FrameCodec.SEGMENT_HEADER_BYTES;
    allocatedEnd = tailEnd;
    if (sync) {
      DeletionMarker.forceDirectory(dir);
    }
  }

  private void writeAll(List<ByteBuffer> buffers) throws IOException {
    if (buffers.isEmpty()) {
      return;
    }
    if (settings.fsync() == FsyncPolicy.ALWAYS && allocatedEnd < tailEnd) {
      preallocate();
    }
    ByteBuffer[] array = buffers.toArray(ByteBuffer[]::new);
    int first = 0;
    while (first < array.length) {
      tail.write(array, first, array.length - first);
      while (first < array.length && !array[first].hasRemaining()) {
        first++;
      }
    }
    buffers.clear();
  }

  /** Extends the tail with zeros to cover {@code tailEnd} and up to one chunk beyond it. */
  private void preallocate() throws IOException {
    long target = Math.max(tailEnd, Math.min(tailEnd + PREALLOCATE_BYTES,
        settings.segmentBytes()));
    while (allocatedEnd < target) {
      ByteBuffer zeros = ZEROS.duplicate();
      zeros.limit((int) Math.min(zeros.capacity(), target - allocatedEnd));
      allocatedEnd += tail.write(zeros, allocatedEnd);
    }
  }

  /** Cuts preallocated zeros off the tail, so that a sealed segment ends with its data. */
  private void trimPreallocation() throws IOException {
    if (allocatedEnd > tailEnd) {
      tail.truncate(tailEnd);
      allocatedEnd = tailEnd;
    }
  }
}
