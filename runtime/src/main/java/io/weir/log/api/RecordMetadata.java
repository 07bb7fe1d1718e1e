package io.weir.log.api;

/**
 * Where an acknowledged record landed.
 *
 * @param topic the topic, never null
 * @param partition the partition
 * @param offset the record's offset
 * @param timestamp the record's stored timestamp in epoch milliseconds
 */
public record RecordMetadata(String topic, int partition, long offset, long timestamp) {}
