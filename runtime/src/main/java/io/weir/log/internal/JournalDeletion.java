package io.weir.log.internal;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;

/**
 * Deletes a prefix of a journal. Typed persistence deletes events only together with snapshots,
 * but a partition's events are its data, so retention asks the journal plugin directly, with the
 * same message a classic persistent actor sends. A failed deletion leaves events that the
 * partition's recovery skips (they lie below a persisted {@code LogTruncated}), so it needs no
 * reply.
 */
final class JournalDeletion {
  private JournalDeletion() {}

  static void deleteUpTo(ActorSystem<?> system, String journalPluginId, String persistenceId,
      long toSeqNr) {
    if (toSeqNr < 1) {
      return;
    }
    ActorRef journal = Persistence.get(system.classicSystem()).journalFor(journalPluginId,
        com.typesafe.config.ConfigFactory.empty());
    journal.tell(new JournalProtocol.DeleteMessagesTo(persistenceId, toSeqNr, ActorRef.noSender()),
        ActorRef.noSender());
  }
}
