package io.weir.log.api;

/** Which records of transactions a consumer sees, as Kafka's {@code isolation.level}. */
public enum IsolationLevel {
  /** Every record, including those of open and aborted transactions (the default). */
  READ_UNCOMMITTED,
  /**
   * Only records of committed transactions and non-transactional ones; reading stops at the
   * last stable offset, the first offset of the oldest open transaction.
   */
  READ_COMMITTED
}
