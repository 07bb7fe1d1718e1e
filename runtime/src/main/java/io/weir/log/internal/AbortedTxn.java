package io.weir.log.internal;

import io.weir.api.CborSerializable;

/**
 * A transaction that was aborted in a partition: its producer's records in
 * [{@code firstOffset}, {@code lastOffset}] are invisible to read_committed consumers.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset)
    implements CborSerializable {}
