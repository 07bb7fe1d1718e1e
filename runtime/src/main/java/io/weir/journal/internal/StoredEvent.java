package io.weir.journal.internal;

import java.util.Objects;

/**
 * One event as the segment files hold it: its sequence number and the serialized form of the
 * payload, free of any Pekko types so the storage layer never serializes.
 *
 * <p>The payload array is shared, not copied: callers must not change it after handing it over.
 *
 * @param seqNr the sequence number, at least 1
 * @param timestamp the write time in epoch milliseconds (0 when unknown)
 * @param writerUuid the writer's unique id, never null (may be empty)
 * @param manifest the event adapter manifest of the {@code PersistentRepr}, never null (may be
 *     empty)
 * @param serializerId the id of the Pekko serializer that wrote {@code payload}
 * @param serializerManifest the serializer's manifest, never null (may be empty)
 * @param payload the serialized payload, never null
 */
public record StoredEvent(
    long seqNr, long timestamp, String writerUuid, String manifest, int serializerId,
    String serializerManifest, byte[] payload) {

  /** Checks the values; see the record description. */
  public StoredEvent {
    if (seqNr < 1) {
      throw new IllegalArgumentException("seqNr " + seqNr + " must be at least 1");
    }
    Objects.requireNonNull(writerUuid, "writerUuid");
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(serializerManifest, "serializerManifest");
    Objects.requireNonNull(payload, "payload");
  }
}
