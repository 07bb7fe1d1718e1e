package io.weir.journal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One segment file of a partition: its name (the seqNr of its first frame) and its sparse index.
 *
 * <p>The bytes live in the file; readers open their own channels. The index of the tail segment
 * is kept complete by the writer; an older segment found at recovery is indexed lazily by the
 * first reader (a scan of frame prefixes only). Thread-safe.
 */
final class Segment {
  private static final String SUFFIX = ".seg";

  private final Path path;
  private final long baseSeqNr;
  private final SparseIndex index;
  /** Frames before this position are in the index (as far as its spacing wants them). */
  private volatile long indexedEnd = FrameCodec.SEGMENT_HEADER_BYTES;

  Segment(Path dir, long baseSeqNr, long indexIntervalBytes) {
    this.path = dir.resolve(fileName(baseSeqNr));
    this.baseSeqNr = baseSeqNr;
    this.index = new SparseIndex(indexIntervalBytes);
  }

  /** The file name of the segment that starts at {@code baseSeqNr}. */
  static String fileName(long baseSeqNr) {
    return String.format(Locale.ROOT, "%020d%s", baseSeqNr, SUFFIX);
  }

  /** The base seqNr a segment file name carries, or -1 if the name is not a segment's. */
  static long parseBaseSeqNr(String fileName) {
    if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
      return -1;
    }
    try {
      return Long.parseLong(fileName.substring(0, 20));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  Path path() {
    return path;
  }

  long baseSeqNr() {
    return baseSeqNr;
  }

  /** Records a frame written or scanned at {@code position}; called in file order. */
  void indexFrame(long firstSeqNr, long position, long frameEnd) {
    index.maybeAdd(firstSeqNr, position);
    indexedEnd = frameEnd;
  }

  /** Forgets index entries at or after {@code position} after the file was truncated there. */
  void truncateIndex(long position) {
    index.truncate(position);
    indexedEnd = Math.min(indexedEnd, position);
  }

  /**
   * The position to start reading at to find {@code seqNr}, indexing the segment up to {@code
   * end} first if that has not been done. Blocks on file I/O.
   *
   * @throws CorruptSegmentException if a frame prefix before {@code end} is impossible
   */
  long startPosition(long seqNr, long end) throws IOException {
    if (indexedEnd < end) {
      indexUpTo(end);
    }
    return index.floorPosition(seqNr, FrameCodec.SEGMENT_HEADER_BYTES);
  }

  private synchronized void indexUpTo(long end) throws IOException {
    long position = indexedEnd;
    if (position >= end) {
      return;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      while (position < end) {
        FrameReader.Prefix prefix = FrameReader.readPrefix(channel, position, end);
        if (prefix == null || !prefix.plausible() || prefix.end() > end) {
          throw new CorruptSegmentException(
              "segment " + path + " has no valid frame at position " + position);
        }
        indexFrame(prefix.firstSeqNr(), position, prefix.end());
        position = prefix.end();
      }
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
