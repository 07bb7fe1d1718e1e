package io.weir.log.internal;

import io.weir.api.WeirException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.DeleteMessagesFailure;
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
    journal(system, journalPluginId).tell(
        new JournalProtocol.DeleteMessagesTo(persistenceId, toSeqNr, ActorRef.noSender()),
        ActorRef.noSender());
  }

  /** Deletes and completes when the journal confirms, or fails with the journal's error. */
  static CompletionStage<Done> deleteUpToConfirmed(ActorSystem<?> system, String journalPluginId,
      String persistenceId, long toSeqNr, Duration timeout) {
    if (toSeqNr < 1) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return Patterns.askWithReplyTo(journal(system, journalPluginId),
            replyTo -> new JournalProtocol.DeleteMessagesTo(persistenceId, toSeqNr, replyTo),
            timeout)
        .thenApply(reply -> {
          if (reply instanceof DeleteMessagesFailure failure) {
            throw new WeirException("journal could not delete " + persistenceId + ": "
                + failure.cause().getMessage(), failure.cause());
          }
          return Done.getInstance();
        });
  }

  private static ActorRef journal(ActorSystem<?> system, String journalPluginId) {
    return Persistence.get(system.classicSystem()).journalFor(journalPluginId,
        com.typesafe.config.ConfigFactory.empty());
  }
}
