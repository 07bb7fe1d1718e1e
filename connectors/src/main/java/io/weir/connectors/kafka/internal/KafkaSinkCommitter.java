package io.weir.connectors.kafka.internal;

import io.weir.connectors.kafka.KafkaCommittable;
import io.weir.connectors.kafka.KafkaSinkSettings;
import io.weir.stream.api.sink.Committer;
import java.time.Duration;
import java.util.Collection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the Kafka transactions of completed checkpoints: through the producer that opened one
 * when it is still alive in this JVM (then gives it back to its writer), else by resuming the
 * transaction with its producer id and epoch in a new producer. A transaction the broker no
 * longer has open was committed before (a commit repeated after a restore) or aborted (by
 * {@code transaction.timeout.ms}); the two cannot be told apart, so it is logged, not failed.
 */
public final class KafkaSinkCommitter implements Committer<KafkaCommittable> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkCommitter.class);
  private final KafkaSinkSettings settings;
  private final int subtask;

  /**
   * @param settings the sink's settings
   * @param subtask the sink subtask whose transactions this committer commits
   */
  public KafkaSinkCommitter(KafkaSinkSettings settings, int subtask) {
    this.settings = settings;
    this.subtask = subtask;
  }

  @Override
  public void commit(long checkpointId, Collection<KafkaCommittable> committables) {
    for (KafkaCommittable c : committables) {
      TransactionalProducers.Entry live = matching(c);
      if (live != null) {
        try {
          live.producer.commitTransaction();
          live.state = TransactionalProducers.State.IDLE;
        } catch (RuntimeException e) {
          TransactionalProducers.discard(live);
          throw e;
        }
        continue;
      }
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
          TransactionalProducers.config(settings, c.transactionalId()))) {
        ProducerInternals.resume(producer, c.producerId(), c.epoch());
        producer.commitTransaction();
      } catch (ProducerFencedException | InvalidProducerEpochException
          | InvalidTxnStateException e) {
        LOG.warn("transaction {} (producer {}, epoch {}) of checkpoint {} is no longer open:"
            + " committed before, or aborted by transaction.timeout.ms ({}) if the restore took"
            + " longer: {}", c.transactionalId(), c.producerId(), c.epoch(), checkpointId,
            settings.transactionTimeout(), e.toString());
      }
    }
  }

  @Override
  public void abort(long checkpointId, Collection<KafkaCommittable> committables) {
    for (KafkaCommittable c : committables) {
      TransactionalProducers.Entry live = matching(c);
      if (live != null) {
        try {
          live.producer.abortTransaction();
          live.state = TransactionalProducers.State.IDLE;
        } catch (RuntimeException e) {
          TransactionalProducers.discard(live);
          throw e;
        }
      } else if (TransactionalProducers.live(c.transactionalId()) == null) {
        TransactionalProducers.fence(settings, c.transactionalId());
      }
      // Else the id runs another transaction by now: this one ended before.
    }
  }

  private static TransactionalProducers.Entry matching(KafkaCommittable c) {
    TransactionalProducers.Entry e = TransactionalProducers.live(c.transactionalId());
    return e != null && e.state == TransactionalProducers.State.PRECOMMITTED
        && e.producerId == c.producerId() && e.epoch == c.epoch() ? e : null;
  }

  /** Closes the subtask's idle producers (those the writer gave back are closed by it). */
  @Override
  public void close() {
    if (settings.transactionalIdPrefix() != null) {
      TransactionalProducers.closeIdle(KafkaSinkWriters.subtaskPrefix(settings, subtask));
    }
  }
}
