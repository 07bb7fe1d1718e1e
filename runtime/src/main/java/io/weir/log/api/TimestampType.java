package io.weir.log.api;

/** Which time a record's timestamp holds; a per-topic choice ({@code message.timestamp.type}). */
public enum TimestampType {
  /** The producer's create time (or the time of sending when the producer gave none). */
  CREATE_TIME,
  /** The time the partition appended the record's batch. */
  LOG_APPEND_TIME
}
