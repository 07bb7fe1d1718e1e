package io.weir.journal;

import com.typesafe.config.Config;
import io.weir.journal.internal.SegmentStores;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.ReadJournalProvider;
import org.apache.pekko.persistence.query.scaladsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * The query plugin of the segment journal, registered at {@link SegmentReadJournal#IDENTIFIER}
 * ({@code class} and {@code write-plugin} keys). Pekko instantiates it by reflection.
 */
public final class SegmentReadJournalProvider implements ReadJournalProvider {
  private final SegmentReadJournal javadsl;

  /**
   * Creates the provider; called by Pekko. Opens the write plugin's store if the journal has
   * not opened it yet (blocking briefly on file I/O).
   *
   * @param system the actor system, never null
   * @param config the query plugin block; its {@code write-plugin} names the journal plugin
   * @param configPath the query plugin id, never null
   * @throws io.weir.api.WeirException if the journal directory cannot be opened
   */
  public SegmentReadJournalProvider(ExtendedActorSystem system, Config config,
      String configPath) {
    this.javadsl = new SegmentReadJournal(
        SegmentStores.get(system).storeFor(config.getString("write-plugin")),
        new PersistentReprCodec(SerializationExtension.get(system)));
  }

  /** The Java API read journal; never null. */
  @Override
  public SegmentReadJournal javadslReadJournal() {
    return javadsl;
  }

  /** The Scala API read journal, a view of {@link #javadslReadJournal()}; never null. */
  @Override
  public CurrentEventsByPersistenceIdQuery scaladslReadJournal() {
    return new CurrentEventsByPersistenceIdQuery() {
      @Override
      public org.apache.pekko.stream.scaladsl.Source<EventEnvelope, NotUsed>
          currentEventsByPersistenceId(String persistenceId, long from, long to) {
        return javadsl.currentEventsByPersistenceId(persistenceId, from, to).asScala();
      }
    };
  }
}
