package io.weir.journal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the segments of one partition to a consistent state when it is first opened: lists
 * them, scans the tail segment frame by frame (checking lengths, sequence numbers and CRCs), and
 * truncates a torn or corrupt tail to the last valid frame, logging a WARN that names the
 * persistence id, the file and the bytes dropped.
 *
 * <p>Zeros after the last frame are preallocated space (see {@link PartitionLog}) and are
 * trimmed quietly. If the dropped bytes still contain a valid frame (so the damage is not a torn
 * write but corruption in front of later data), or are too many to search, they are first copied to a {@code .dropped-<position>}
 * file beside the segment and an ERROR is logged, so that nothing is destroyed unseen.
 */
final class TailRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(TailRecovery.class);
  /** Beyond this many dropped bytes the search for later valid frames is skipped. */
  private static final long MAX_RESYNC_BYTES = 64L << 20;

  /**
   * The state of a partition's files after recovery.
   *
   * @param segments the segments in seqNr order, the last being the tail; may be empty
   * @param tailEnd the end of valid data in the tail (0 if there are no segments)
   * @param lastSeqNr the seqNr of the last stored event (0 if there is none)
   */
  record Result(List<Segment> segments, long tailEnd, long lastSeqNr) {}

  private record Scan(long validEnd, long lastSeqNr) {}

  private TailRecovery() {}

  /** Recovers the partition in {@code dir}; blocks on file I/O. */
  static Result recover(String persistenceId, Path dir, JournalSettings settings)
      throws IOException {
    List<Segment> segments = list(dir, settings.indexIntervalBytes());
    while (!segments.isEmpty()) {
      Segment tail = segments.get(segments.size() - 1);
      Scan scan = scanTail(persistenceId, tail);
      if (scan.lastSeqNr() >= tail.baseSeqNr()) {
        return new Result(segments, scan.validEnd(), scan.lastSeqNr());
      }
      LOG.info("persistenceId {}: removing segment {} that holds no complete frame",
          persistenceId, tail.path());
      Files.delete(tail.path());
      segments.remove(segments.size() - 1);
    }
    return new Result(segments, 0, 0);
  }

  /** The segment files of {@code dir} in seqNr order (none if the directory does not exist). */
  static List<Segment> list(Path dir, long indexIntervalBytes) throws IOException {
    List<Segment> segments = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return segments;
    }
    try (Stream<Path> files = Files.list(dir)) {
      files.map(p -> Segment.parseBaseSeqNr(p.getFileName().toString()))
          .filter(base -> base >= 1)
          .sorted()
          .forEach(base -> segments.add(new Segment(dir, base, indexIntervalBytes)));
    }
    segments.sort(Comparator.comparingLong(Segment::baseSeqNr));
    return segments;
  }

  private static Scan scanTail(String persistenceId, Segment tail) throws IOException {
    try (FileChannel channel = FileChannel.open(tail.path(), StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long size = channel.size();
      if (size < FrameCodec.SEGMENT_HEADER_BYTES) {
        warnDropped(persistenceId, tail, 0, size);
        return new Scan(0, 0);
      }
      ByteBuffer header = ByteBuffer.allocate(FrameCodec.SEGMENT_HEADER_BYTES);
      FrameReader.readFully(channel, header, 0);
      if (!FrameCodec.isValidHeader(header.flip(), tail.baseSeqNr())) {
        throw new CorruptSegmentException("persistenceId " + persistenceId + ": segment "
            + tail.path() + " does not start with a valid segment header");
      }
      long position = FrameCodec.SEGMENT_HEADER_BYTES;
      long lastSeqNr = tail.baseSeqNr() - 1;
      while (true) {
        FrameReader.Prefix prefix = FrameReader.readPrefix(channel, position, size);
        if (!isValid(channel, prefix, lastSeqNr, size)) {
          break;
        }
        tail.indexFrame(prefix.firstSeqNr(), position, prefix.end());
        lastSeqNr = prefix.lastSeqNr();
        position = prefix.end();
      }
      if (position < size) {
        byte[] rest = size - position <= MAX_RESYNC_BYTES ? read(channel, position, size) : null;
        if (rest != null && isAllZeros(rest)) {
          LOG.debug("persistenceId {}: trimming {} preallocated bytes from {}", persistenceId,
              rest.length, tail.path());
        } else if (rest == null || hasValidFrame(rest, lastSeqNr)) {
          quarantine(persistenceId, tail, channel, position, size);
        } else {
          warnDropped(persistenceId, tail, position, size);
        }
        channel.truncate(position);
        channel.force(true);
      }
      return new Scan(position, lastSeqNr);
    }
  }

  private static boolean isValid(FileChannel channel, FrameReader.Prefix prefix, long lastSeqNr,
      long size) throws IOException {
    return prefix != null && prefix.plausible() && prefix.firstSeqNr() > lastSeqNr
        && prefix.end() <= size && FrameReader.readBody(channel, prefix) != null;
  }

  private static byte[] read(FileChannel channel, long from, long size) throws IOException {
    ByteBuffer rest = ByteBuffer.allocate((int) (size - from));
    FrameReader.readFully(channel, rest, from);
    return rest.array();
  }

  private static boolean isAllZeros(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether a valid frame after {@code lastSeqNr} starts anywhere after the first byte. */
  private static boolean hasValidFrame(byte[] bytes, long lastSeqNr) {
    ByteBuffer rest = ByteBuffer.wrap(bytes);
    for (int at = 1; at + FrameCodec.FRAME_PREFIX_BYTES <= bytes.length; at++) {
      FrameReader.Prefix p = new FrameReader.Prefix(at, rest.getInt(at), rest.getInt(at + 4),
          rest.getLong(at + 8), rest.getLong(at + 16));
      if (p.plausible() && p.firstSeqNr() > lastSeqNr && p.end() <= bytes.length
          && FrameCodec.crc(bytes, at + FrameCodec.FRAME_HEADER_BYTES, p.bodyLength()) == p.crc()) {
        return true;
      }
    }
    return false;
  }

  private static void quarantine(String persistenceId, Segment tail, FileChannel channel,
      long position, long size) throws IOException {
    Path copy = tail.path().resolveSibling(tail.path().getFileName() + ".dropped-" + position);
    try (FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long done = 0;
      while (done < size - position) {
        done += channel.transferTo(position + done, size - position - done, out);
      }
      out.force(true);
    }
    LOG.error("persistenceId {}: segment {} is corrupt at position {} but holds valid frames "
        + "after it; dropping {} bytes from the tail, a copy is in {}", persistenceId,
        tail.path(), position, size - position, copy);
  }

  private static void warnDropped(String persistenceId, Segment tail, long position, long size) {
    if (size > position) {
      LOG.warn("persistenceId {}: torn tail in segment {}: truncated to position {}, "
          + "{} bytes dropped", persistenceId, tail.path(), position, size - position);
    }
  }
}
