package io.weir.log.api;

import io.weir.api.CborSerializable;

/**
 * A partition's retained range and size.
 *
 * @param topic the topic
 * @param partition the partition
 * @param logStartOffset the oldest retained offset
 * @param logEndOffset the offset the next appended record will get
 * @param sizeBytes the bytes of the retained batches
 */
public record PartitionOffsets(
    String topic, int partition, long logStartOffset, long logEndOffset, long sizeBytes)
    implements CborSerializable {}
