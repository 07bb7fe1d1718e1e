package io.weir.log.internal;

import io.weir.api.CborSerializable;
import io.weir.api.WeirException;
import io.weir.log.api.TransactionalProducer;
import java.time.Duration;
import java.util.Objects;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Two-phase commit of log transactions, for exactly-once sinks: a transaction is flushed and
 * held open by its producer (the pre-commit), and committed later — after a checkpoint
 * completed, possibly by another process after a crash — by its handle: transactional id,
 * producer id and epoch. Committing a handle whose transaction has ended already is a no-op;
 * committing one that was fenced (a newer producer took the id, or the transaction timed out
 * and was aborted) fails with a {@code ProducerFencedException}, so nothing is lost silently.
 */
public final class TransactionHandles {
  private TransactionHandles() {}

  /**
   * A held-open transaction.
   *
   * @param transactionalId the producer's transactional id
   * @param producerId its producer id
   * @param epoch its epoch
   */
  public record Handle(String transactionalId, long producerId, short epoch)
      implements CborSerializable {
    /** Checks the id. */
    public Handle {
      Objects.requireNonNull(transactionalId, "transactionalId");
    }
  }

  /**
   * Flushes a producer's open transaction and hands out its handle. The producer must not be
   * used again; the transaction stays open until committed or aborted by handle (or until its
   * timeout aborts it).
   *
   * @param producer a producer from {@code Log.newTransactionalProducer} with an open transaction
   * @param transactionalId the producer's transactional id
   * @param timeout how long the flush may take
   * @return the handle
   */
  public static Handle hold(TransactionalProducer producer, String transactionalId,
      Duration timeout) {
    if (!(producer instanceof ProducerImpl impl)) {
      throw new IllegalArgumentException("not a Weir log producer: " + producer);
    }
    Blocking.await(impl.flush(), timeout, "flushing the transaction of '" + transactionalId
        + "'");
    ProducerIdAllocator.ProducerIdentity identity = impl.transactionIdentity();
    return new Handle(transactionalId, identity.producerId(), identity.epoch());
  }

  /**
   * Commits (or aborts) a held transaction. Idempotent.
   *
   * @param log the log the transaction writes to
   * @param handle the transaction
   * @param commit true to commit, false to abort
   * @param timeout how long it may take
   * @throws WeirException when the coordinator refuses, for example because the producer was
   *     fenced
   */
  public static void end(io.weir.log.api.Log log, Handle handle, boolean commit,
      Duration timeout) {
    if (!(log instanceof LogImpl impl)) {
      throw new IllegalArgumentException("not Weir's log: " + log);
    }
    Blocking.await(TransactionCoordinator.ref(impl.system(), handle.transactionalId()).askWithStatus(
            (ActorRef<StatusReply<Done>> r) -> new TransactionCoordinator.EndTransaction(
                handle.producerId(), handle.epoch(), commit, r), timeout),
        timeout, (commit ? "committing" : "aborting") + " transaction '"
            + handle.transactionalId() + "'");
  }
}
