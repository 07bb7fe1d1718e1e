package io.weir.stream.api;

import io.weir.log.api.ProducerRecord;

/**
 * Turns an element into a record for whichever log topic it belongs to, for
 * {@link DataStream#toLog(LogRecordRouter)}: routing by table, by event type, by tenant.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface LogRecordRouter<T> {
  /**
   * The record for one element.
   *
   * @param element never null
   * @return the record to append, with its topic (which must exist); null to write nothing
   */
  ProducerRecord route(T element);
}
