package io.weir.journal.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte layout of segment files. All integers are big-endian.
 *
 * <pre>
 * segment := header frame*
 * header  := magic:int32 ("WSEG") version:int32 baseSeqNr:int64                  (16 bytes)
 * frame   := length:int32 crc32c:int32 body                 (length and CRC cover the body)
 * body    := firstSeqNr:int64 lastSeqNr:int64 count:int32 event{count}
 * event   := seqNr:int64 timestamp:int64 serializerId:int32 writerUuid:str manifest:str
 *            serializerManifest:str payloadLength:int32 payload:byte{payloadLength}
 * str     := byteLength:int32 utf8:byte{byteLength}
 * </pre>
 *
 * <p>One frame holds one {@code AtomicWrite}, so a write of several events is all-or-nothing: a
 * frame whose CRC does not match is treated as absent as a whole. Stateless and thread-safe.
 */
public final class FrameCodec {
  /** "WSEG": the first four bytes of every segment file. */
  public static final int MAGIC = 0x57534547;
  /** The version of the layout above. */
  public static final int VERSION = 1;
  /** Bytes of the segment header. */
  public static final int SEGMENT_HEADER_BYTES = 16;
  /** Bytes of length and CRC in front of each body. */
  public static final int FRAME_HEADER_BYTES = 8;
  /** Bytes of a frame needed to know its extent and sequence numbers (header, first, last). */
  public static final int FRAME_PREFIX_BYTES = FRAME_HEADER_BYTES + 16;
  /** The smallest valid body: first, last, count and one event of empty strings and payload. */
  public static final int MIN_BODY_BYTES = 20 + 36;
  /** The smallest encoded event: seqNr, timestamp, serializer id and four lengths. */
  static final int MIN_EVENT_BYTES = 8 + 8 + 4 + 4 + 4 + 4 + 4;
  /** The largest body accepted; anything larger is a corrupt length field. */
  public static final int MAX_BODY_BYTES = Integer.MAX_VALUE - 64;

  private FrameCodec() {}

  /**
   * Encodes one atomic write as a frame.
   *
   * @param events the events of the write, in ascending seqNr order, at least one, never null
   * @return a heap buffer positioned at 0 whose remaining bytes are the frame, never null
   * @throws IllegalArgumentException if the list is empty, out of order or too large
   */
  public static ByteBuffer encode(List<StoredEvent> events) {
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an atomic write must hold at least one event");
    }
    long size = 20;
    List<byte[]> strings = new ArrayList<>(events.size() * 3);
    long previous = 0;
    for (StoredEvent e : events) {
      if (e.seqNr() <= previous) {
        throw new IllegalArgumentException(
            "seqNr " + e.seqNr() + " does not follow " + previous + " within one atomic write");
      }
      previous = e.seqNr();
      byte[] uuid = e.writerUuid().getBytes(StandardCharsets.UTF_8);
      byte[] manifest = e.manifest().getBytes(StandardCharsets.UTF_8);
      byte[] serManifest = e.serializerManifest().getBytes(StandardCharsets.UTF_8);
      strings.add(uuid);
      strings.add(manifest);
      strings.add(serManifest);
      size += 8 + 8 + 4 + 12 + uuid.length + manifest.length + serManifest.length + 4
          + e.payload().length;
    }
    if (size > MAX_BODY_BYTES) {
      throw new IllegalArgumentException("an atomic write of " + size + " bytes is too large");
    }
    ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER_BYTES + (int) size);
    frame.position(FRAME_HEADER_BYTES);
    frame.putLong(events.get(0).seqNr()).putLong(previous).putInt(events.size());
    int s = 0;
    for (StoredEvent e : events) {
      frame.putLong(e.seqNr()).putLong(e.timestamp()).putInt(e.serializerId());
      for (int i = 0; i < 3; i++) {
        byte[] str = strings.get(s++);
        frame.putInt(str.length).put(str);
      }
      frame.putInt(e.payload().length).put(e.payload());
    }
    frame.putInt(0, (int) size).putInt(4, crc(frame.array(), FRAME_HEADER_BYTES, (int) size));
    frame.position(0);
    return frame;
  }

  /**
   * Decodes the body of a frame whose CRC has been checked.
   *
   * @param body the body bytes, from position to limit, never null
   * @return the events, never null or empty
   * @throws CorruptSegmentException if the body does not follow the layout
   */
  public static List<StoredEvent> decodeBody(ByteBuffer body) {
    try {
      long first = body.getLong();
      long last = body.getLong();
      int count = body.getInt();
      if (count < 1 || count > body.remaining() / MIN_EVENT_BYTES) {
        throw new CorruptSegmentException("event count " + count + " is impossible");
      }
      List<StoredEvent> events = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long seqNr = body.getLong();
        long timestamp = body.getLong();
        int serializerId = body.getInt();
        String uuid = string(body);
        String manifest = string(body);
        String serManifest = string(body);
        byte[] payload = new byte[body.getInt()];
        body.get(payload);
        events.add(new StoredEvent(seqNr, timestamp, uuid, manifest, serializerId, serManifest,
            payload));
      }
      if (body.hasRemaining() || events.get(0).seqNr() != first
          || events.get(count - 1).seqNr() != last) {
        throw new CorruptSegmentException("frame body disagrees with its header");
      }
      return events;
    } catch (RuntimeException e) {
      if (e instanceof CorruptSegmentException c) {
        throw c;
      }
      throw new CorruptSegmentException("frame body does not decode: " + e, e);
    }
  }

  /**
   * Computes the CRC32C of a byte range.
   *
   * @param bytes the array, never null
   * @param offset the first byte
   * @param length the number of bytes
   * @return the CRC as a signed int
   */
  public static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /**
   * Builds the header of a new segment file.
   *
   * @param baseSeqNr the seqNr of the segment's first frame
   * @return a buffer positioned at 0 holding {@link #SEGMENT_HEADER_BYTES} bytes, never null
   */
  public static ByteBuffer segmentHeader(long baseSeqNr) {
    return ByteBuffer.allocate(SEGMENT_HEADER_BYTES).putInt(MAGIC).putInt(VERSION)
        .putLong(baseSeqNr).flip();
  }

  /**
   * Tells whether a buffer holds a valid header for a segment named by {@code baseSeqNr}.
   *
   * @param header {@link #SEGMENT_HEADER_BYTES} bytes from position 0, never null
   * @param baseSeqNr the seqNr the file name carries
   * @return true if magic, version and base match
   */
  public static boolean isValidHeader(ByteBuffer header, long baseSeqNr) {
    return header.remaining() >= SEGMENT_HEADER_BYTES && header.getInt(0) == MAGIC
        && header.getInt(4) == VERSION && header.getLong(8) == baseSeqNr;
  }

  private static String string(ByteBuffer body) {
    int length = body.getInt();
    if (length < 0 || length > body.remaining()) {
      throw new CorruptSegmentException("string length " + length + " is impossible");
    }
    String s = new String(body.array(), body.arrayOffset() + body.position(), length,
        StandardCharsets.UTF_8);
    body.position(body.position() + length);
    return s;
  }
}
