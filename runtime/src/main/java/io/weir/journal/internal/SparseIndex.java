package io.weir.journal.internal;

import java.util.Arrays;

/**
 * A sparse map from a frame's first seqNr to its file position within one segment: one entry
 * at most every {@code intervalBytes}, so a read from any seqNr starts near it instead of at the
 * start of the segment.
 *
 * <p>Thread-safe: the writer appends while readers look up.
 */
final class SparseIndex {
  private final long intervalBytes;
  private long[] seqNrs = new long[16];
  private long[] positions = new long[16];
  private int size;
  private long lastIndexedPosition = Long.MIN_VALUE;

  SparseIndex(long intervalBytes) {
    this.intervalBytes = intervalBytes;
  }

  /** Records a frame if it lies at least one interval after the last recorded one. */
  synchronized void maybeAdd(long firstSeqNr, long position) {
    if (size > 0 && position - lastIndexedPosition < intervalBytes) {
      return;
    }
    if (size == seqNrs.length) {
      seqNrs = Arrays.copyOf(seqNrs, size * 2);
      positions = Arrays.copyOf(positions, size * 2);
    }
    seqNrs[size] = firstSeqNr;
    positions[size] = position;
    size++;
    lastIndexedPosition = position;
  }

  /**
   * The position of the last indexed frame whose first seqNr is at most {@code seqNr}, or
   * {@code fallback} if there is none.
   */
  synchronized long floorPosition(long seqNr, long fallback) {
    int i = Arrays.binarySearch(seqNrs, 0, size, seqNr);
    if (i >= 0) {
      return positions[i];
    }
    int insertion = -i - 1;
    return insertion == 0 ? fallback : positions[insertion - 1];
  }

  /** Forgets every entry at or after {@code position} (after a tail was truncated). */
  synchronized void truncate(long position) {
    while (size > 0 && positions[size - 1] >= position) {
      size--;
    }
    lastIndexedPosition = size == 0 ? Long.MIN_VALUE : positions[size - 1];
  }
}
