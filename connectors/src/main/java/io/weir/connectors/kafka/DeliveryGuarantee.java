package io.weir.connectors.kafka;

/** What a {@link KafkaSink} promises about each element reaching Kafka. */
public enum DeliveryGuarantee {
  /**
   * Every element reaches Kafka at least once: the producer is flushed on every checkpoint
   * barrier, but a restore replays what was written after the checkpoint, so a consumer may see
   * it twice.
   */
  AT_LEAST_ONCE,
  /**
   * Every element is visible to {@code read_committed} consumers exactly once: it is written in
   * a Kafka transaction that commits only when the checkpoint after it completes.
   */
  EXACTLY_ONCE
}
