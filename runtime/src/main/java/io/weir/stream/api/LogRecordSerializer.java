package io.weir.stream.api;

import io.weir.log.api.ProducerRecord;

/**
 * Turns an element into a record for a log topic, for {@link DataStream#toLog(String,
 * LogRecordSerializer)}.
 *
 * @param <T> the element type
 */
@FunctionalInterface
public interface LogRecordSerializer<T> {
  /**
   * Serializes one element.
   *
   * @param element never null
   * @param topic the sink's topic, never null
   * @return the record to append, never null; its topic must be {@code topic}
   */
  ProducerRecord serialize(T element, String topic);
}
