package io.weir.journal.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads of frame prefixes and bodies from a segment channel. Stateless. */
final class FrameReader {
  /**
   * Where a frame lies and which sequence numbers it holds, read without its body.
   *
   * @param position the file position of the frame's length field
   * @param bodyLength the body length the frame declares
   * @param crc the CRC32C the frame declares
   * @param firstSeqNr the seqNr of its first event
   * @param lastSeqNr the seqNr of its last event
   */
  record Prefix(long position, int bodyLength, int crc, long firstSeqNr, long lastSeqNr) {
    /** The position right after the frame. */
    long end() {
      return position + FrameCodec.FRAME_HEADER_BYTES + bodyLength;
    }

    /** Whether the declared values can belong to a frame at all (says nothing of the CRC). */
    boolean plausible() {
      return bodyLength >= FrameCodec.MIN_BODY_BYTES && bodyLength <= FrameCodec.MAX_BODY_BYTES
          && firstSeqNr >= 1 && lastSeqNr >= firstSeqNr;
    }
  }

  private FrameReader() {}

  /**
   * Reads the prefix of the frame at {@code position}, or returns null if fewer than {@link
   * FrameCodec#FRAME_PREFIX_BYTES} bytes lie before {@code end}.
   */
  static Prefix readPrefix(FileChannel channel, long position, long end) throws IOException {
    if (end - position < FrameCodec.FRAME_PREFIX_BYTES) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate(FrameCodec.FRAME_PREFIX_BYTES);
    readFully(channel, buf, position);
    return new Prefix(position, buf.getInt(0), buf.getInt(4), buf.getLong(8), buf.getLong(16));
  }

  /**
   * Reads the body of a frame and returns it positioned at 0, or null if its CRC does not match.
   */
  static ByteBuffer readBody(FileChannel channel, Prefix prefix) throws IOException {
    ByteBuffer body = ByteBuffer.allocate(prefix.bodyLength());
    readFully(channel, body, prefix.position() + FrameCodec.FRAME_HEADER_BYTES);
    body.flip();
    if (FrameCodec.crc(body.array(), 0, body.limit()) != prefix.crc()) {
      return null;
    }
    return body;
  }

  /** Fills {@code buf} from {@code position} on, or throws EOFException at the end of file. */
  static void readFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, at);
      if (n < 0) {
        throw new EOFException("unexpected end of file at position " + at);
      }
      at += n;
    }
  }
}
