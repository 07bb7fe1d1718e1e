package io.weir.connectors.kafka;

import java.util.Objects;

/**
 * A Kafka transaction an exactly-once {@link KafkaSink} writer pre-committed on a checkpoint
 * barrier: flushed, not yet committed. It travels in the checkpoint; the committer commits it
 * when the checkpoint completes, by resuming the transaction with its producer id and epoch if
 * the producer that opened it is gone.
 *
 * @param transactionalId the producer's transactional id, never null
 * @param producerId the producer id the broker gave it
 * @param epoch the producer epoch of the transaction
 */
public record KafkaCommittable(String transactionalId, long producerId, short epoch) {
  /** Checks the values. */
  public KafkaCommittable {
    Objects.requireNonNull(transactionalId, "transactionalId");
    if (producerId < 0 || epoch < 0) {
      throw new IllegalArgumentException("no producer id and epoch for transaction "
          + transactionalId);
    }
  }
}
