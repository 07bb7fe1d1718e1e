package io.weir.journal;

import io.weir.journal.internal.EncodedWrite;
import io.weir.journal.internal.FrameCodec;
import io.weir.journal.internal.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Converts between Pekko's {@link PersistentRepr} and the journal's {@link StoredEvent}, with
 * Pekko serialization for the payloads. Tags ({@link Tagged}) are dropped: the segment journal
 * has no query by tag. Thread-safe.
 */
final class PersistentReprCodec {
  private final Serialization serialization;

  PersistentReprCodec(Serialization serialization) {
    this.serialization = serialization;
  }

  /**
   * Serializes and frames one atomic write, stamping events that carry no timestamp with the
   * current time (Pekko leaves setting the write time to the journal).
   *
   * @throws Exception if a payload does not serialize (the write is then rejected)
   */
  EncodedWrite encode(AtomicWrite write) throws Exception {
    List<StoredEvent> events = new ArrayList<>(write.size());
    long now = System.currentTimeMillis();
    for (PersistentRepr repr : CollectionConverters.asJava(write.payload())) {
      Object payload = repr.payload() instanceof Tagged tagged ? tagged.payload()
          : repr.payload();
      Serializer serializer = serialization.findSerializerFor(payload);
      byte[] bytes = serialization.serialize(payload).get();
      events.add(new StoredEvent(repr.sequenceNr(),
          repr.timestamp() == 0 ? now : repr.timestamp(), repr.writerUuid(),
          repr.manifest(), serializer.identifier(), Serializers.manifestFor(serializer, payload),
          bytes));
    }
    return new EncodedWrite(write.persistenceId(), write.lowestSequenceNr(),
        write.highestSequenceNr(), FrameCodec.encode(events));
  }

  /**
   * Deserializes the payload of a stored event.
   *
   * @throws Exception if the payload does not deserialize (unknown serializer or class)
   */
  Object payload(StoredEvent event) throws Exception {
    return serialization.deserialize(event.payload(), event.serializerId(),
        event.serializerManifest()).get();
  }

  /**
   * Rebuilds the {@link PersistentRepr} of a stored event.
   *
   * @throws Exception if the payload does not deserialize
   */
  PersistentRepr toRepr(String persistenceId, StoredEvent event) throws Exception {
    return PersistentRepr.apply(payload(event), event.seqNr(), persistenceId, event.manifest(),
        false, ActorRef.noSender(), event.writerUuid()).withTimestamp(event.timestamp());
  }
}
