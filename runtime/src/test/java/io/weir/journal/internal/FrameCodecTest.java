package io.weir.journal.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
  private static StoredEvent event(long seqNr, String payload) {
    return new StoredEvent(seqNr, 1000 + seqNr, "writer-ü", "adapter", 33, "io.weir.Event",
        payload.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFrameRoundTripsAndItsHeaderDescribesIt() {
    List<StoredEvent> events = List.of(event(7, "a"), event(8, ""), event(9, "ccc"));
    ByteBuffer frame = FrameCodec.encode(events);

    int bodyLength = frame.getInt(0);
    assertEquals(frame.remaining() - FrameCodec.FRAME_HEADER_BYTES, bodyLength);
    assertEquals(7, frame.getLong(8));
    assertEquals(9, frame.getLong(16));
    assertEquals(FrameCodec.crc(frame.array(), FrameCodec.FRAME_HEADER_BYTES, bodyLength),
        frame.getInt(4));

    List<StoredEvent> decoded = FrameCodec.decodeBody(
        ByteBuffer.wrap(frame.array(), FrameCodec.FRAME_HEADER_BYTES, bodyLength).slice());
    assertEquals(3, decoded.size());
    for (int i = 0; i < 3; i++) {
      StoredEvent in = events.get(i);
      StoredEvent out = decoded.get(i);
      assertEquals(in.seqNr(), out.seqNr());
      assertEquals(in.timestamp(), out.timestamp());
      assertEquals(in.writerUuid(), out.writerUuid());
      assertEquals(in.manifest(), out.manifest());
      assertEquals(in.serializerId(), out.serializerId());
      assertEquals(in.serializerManifest(), out.serializerManifest());
      assertArrayEquals(in.payload(), out.payload());
    }
  }

  @Test
  void anAtomicWriteMustBeNonEmptyAndAscending() {
    assertThrows(IllegalArgumentException.class, () -> FrameCodec.encode(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> FrameCodec.encode(List.of(event(2, "x"), event(2, "y"))));
  }

  @Test
  void aBodyThatDisagreesWithItsLayoutIsCorrupt() {
    ByteBuffer frame = FrameCodec.encode(List.of(event(1, "payload")));
    byte[] body = new byte[frame.getInt(0)];
    frame.position(FrameCodec.FRAME_HEADER_BYTES).get(body);
    ByteBuffer.wrap(body).putInt(16, 5);
    assertThrows(CorruptSegmentException.class, () -> FrameCodec.decodeBody(ByteBuffer.wrap(body)));
  }

  @Test
  void segmentHeaderNamesItsBase() {
    assertEquals(true, FrameCodec.isValidHeader(FrameCodec.segmentHeader(42), 42));
    assertEquals(false, FrameCodec.isValidHeader(FrameCodec.segmentHeader(42), 43));
  }
}
