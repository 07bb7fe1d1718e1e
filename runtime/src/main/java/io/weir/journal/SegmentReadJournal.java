package io.weir.journal;

import io.weir.journal.internal.SegmentCursor;
import io.weir.journal.internal.SegmentStore;
import io.weir.journal.internal.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Reads the events of the segment journal directly from its files. Obtain it with {@code
 * PersistenceQuery.get(system).getReadJournalFor(SegmentReadJournal.class, }{@link
 * #IDENTIFIER}{@code )}.
 *
 * <p>Readers in the writer's JVM share its store, so a query sees every event acknowledged
 * before it started. Event adapters are not applied. Thread-safe.
 */
public final class SegmentReadJournal implements CurrentEventsByPersistenceIdQuery {
  /** The configuration path of the query plugin of {@code weir.journal.segments}. */
  public static final String IDENTIFIER = "weir.journal.segments.query";

  private final SegmentStore store;
  private final PersistentReprCodec codec;

  SegmentReadJournal(SegmentStore store, PersistentReprCodec codec) {
    this.store = store;
    this.codec = codec;
  }

  /**
   * The acknowledged, not deleted events of {@code persistenceId} with seqNrs in {@code
   * [fromSequenceNr, toSequenceNr]}, in order, each with a {@link Offset#sequence(long)} offset
   * equal to its seqNr; the stream completes at the last event acknowledged when it started.
   *
   * <p>The source reads one frame at a time on the stream's blocking I/O dispatcher, so memory
   * is bounded by the largest atomic write and demand backpressures the file reads. It fails
   * with {@link io.weir.journal.internal.CorruptSegmentException} on a damaged frame.
   *
   * @param persistenceId the entity, never null
   * @param fromSequenceNr the first seqNr wanted (inclusive)
   * @param toSequenceNr the last seqNr wanted (inclusive); {@code Long.MAX_VALUE} for all
   * @return a source of envelopes, never null
   */
  @Override
  public Source<EventEnvelope, NotUsed> currentEventsByPersistenceId(String persistenceId,
      long fromSequenceNr, long toSequenceNr) {
    Objects.requireNonNull(persistenceId, "persistenceId");
    return Source.unfoldResource(
            () -> store.cursor(persistenceId, fromSequenceNr, toSequenceNr, Long.MAX_VALUE),
            (SegmentCursor cursor) -> {
              List<StoredEvent> events = cursor.next();
              return events == null ? Optional.empty()
                  : Optional.of(envelopes(persistenceId, events));
            },
            SegmentCursor::close)
        .mapConcat(envelopes -> envelopes);
  }

  private List<EventEnvelope> envelopes(String persistenceId, List<StoredEvent> events)
      throws Exception {
    List<EventEnvelope> envelopes = new ArrayList<>(events.size());
    for (StoredEvent e : events) {
      envelopes.add(EventEnvelope.apply(Offset.sequence(e.seqNr()), persistenceId, e.seqNr(),
          codec.payload(e), e.timestamp()));
    }
    return envelopes;
  }
}
