package io.weir.log.api;

import java.util.Objects;

/**
 * A record read through a consumer group, with the offset to commit once it is processed.
 *
 * @param record the record, never null
 * @param committableOffset its position in the group, never null
 */
public record CommittableRecord(ConsumerRecord record, CommittableOffset committableOffset) {
  /** Checks the fields. */
  public CommittableRecord {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(committableOffset, "committableOffset");
  }
}
