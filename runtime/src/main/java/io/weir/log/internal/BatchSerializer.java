package io.weir.log.internal;

import io.weir.log.api.Header;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The binary form of {@link PartitionEntity.BatchAppended}, the log's hottest message: every
 * appended batch is written with it and every consumer read of older data parses it. A flat
 * length-prefixed layout (as Kafka's record batches are) costs a copy of the bytes and no field
 * names or per-value tags, where the generic CBOR binding spent most of a write's CPU. Bound in
 * the runtime's {@code reference.conf}, more specific than the {@code CborSerializable} binding.
 *
 * <pre>
 * batch  := version:byte(3) seqNr:long appendTime:long producerId:long producerEpoch:short
 *           baseSequence:int attributes:byte count:int record*
 *           (version 1 had no producer fields, version 2 no attributes)
 * record := offset:long timestamp:long key:bytes value:bytes headerCount:int header*
 * header := key:bytes(UTF-8) value:bytes
 * bytes  := length:int (-1 = null) byte*
 * </pre>
 */
public final class BatchSerializer extends SerializerWithStringManifest {
  private static final byte VERSION = 3;
  private static final String MANIFEST = "B1";

  /**
   * Created by Pekko serialization.
   *
   * @param system the actor system (unused)
   */
  public BatchSerializer(ExtendedActorSystem system) {
    // Stateless.
  }

  @Override
  public int identifier() {
    return 1_337_001;
  }

  @Override
  public String manifest(Object o) {
    return MANIFEST;
  }

  @Override
  public byte[] toBinary(Object o) {
    PartitionEntity.BatchAppended batch = (PartitionEntity.BatchAppended) o;
    int size = 1 + 8 + 8 + 8 + 2 + 4 + 1 + 4;
    for (StoredRecord r : batch.records()) {
      size += 8 + 8 + 4 + length(r.key()) + 4 + length(r.value()) + 4;
      for (Header h : r.headers()) {
        size += 4 + h.key().getBytes(StandardCharsets.UTF_8).length + 4 + length(h.value());
      }
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(VERSION).putLong(batch.seqNr()).putLong(batch.appendTime())
        .putLong(batch.producerId()).putShort(batch.producerEpoch()).putInt(batch.baseSequence())
        .put((byte) batch.attributes()).putInt(batch.records().size());
    for (StoredRecord r : batch.records()) {
      out.putLong(r.offset()).putLong(r.timestamp());
      putBytes(out, r.key());
      putBytes(out, r.value());
      out.putInt(r.headers().size());
      for (Header h : r.headers()) {
        putBytes(out, h.key().getBytes(StandardCharsets.UTF_8));
        putBytes(out, h.value());
      }
    }
    return out.array();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    if (!MANIFEST.equals(manifest)) {
      throw new NotSerializableException("unknown log batch manifest '" + manifest + "'");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version < 1 || version > VERSION) {
      throw new NotSerializableException("unknown log batch version " + version);
    }
    long seqNr = in.getLong();
    long appendTime = in.getLong();
    long producerId = version == 1 ? -1 : in.getLong();
    short producerEpoch = version == 1 ? 0 : in.getShort();
    int baseSequence = version == 1 ? 0 : in.getInt();
    int attributes = version < 3 ? 0 : in.get();
    int count = in.getInt();
    List<StoredRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long offset = in.getLong();
      long timestamp = in.getLong();
      byte[] key = getBytes(in);
      byte[] value = getBytes(in);
      int headerCount = in.getInt();
      List<Header> headers = headerCount == 0 ? List.of() : new ArrayList<>(headerCount);
      for (int h = 0; h < headerCount; h++) {
        headers.add(new Header(new String(getBytes(in), StandardCharsets.UTF_8), getBytes(in)));
      }
      records.add(new StoredRecord(offset, timestamp, key, value, headers));
    }
    return new PartitionEntity.BatchAppended(seqNr, appendTime, records, producerId,
        producerEpoch, baseSequence, attributes);
  }

  private static int length(byte[] b) {
    return b == null ? 0 : b.length;
  }

  private static void putBytes(ByteBuffer out, byte[] b) {
    if (b == null) {
      out.putInt(-1);
    } else {
      out.putInt(b.length).put(b);
    }
  }

  private static byte[] getBytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    byte[] b = new byte[length];
    in.get(b);
    return b;
  }
}
