package io.weir.stream.internal.state;

/**
 * A stored value with the processing time of its last renewal, from which its expiry follows.
 *
 * @param value never null
 * @param timestamp when it was last written (or read, if reads renew), epoch milliseconds
 * @param <V> the value type
 */
record TtlValue<V>(V value, long timestamp) {}
