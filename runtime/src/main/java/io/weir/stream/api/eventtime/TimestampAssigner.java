package io.weir.stream.api.eventtime;

/**
 * Gives each record its event time. Called by the subtask's thread, once per record.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface TimestampAssigner<T> {
  /** The timestamp a record has when none was assigned: {@code Long.MIN_VALUE}. */
  long NO_TIMESTAMP = Long.MIN_VALUE;

  /**
   * The record's event time.
   *
   * @param element the record, never null
   * @param recordTimestamp the timestamp it already has (a log record's timestamp, or what the
   *     source reader emitted), {@link #NO_TIMESTAMP} when none
   * @return epoch milliseconds
   */
  long extractTimestamp(T element, long recordTimestamp);
}
