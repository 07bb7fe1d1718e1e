package io.weir.stream.internal.state;

import io.weir.stream.api.state.StateTtlConfig;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The time-to-live rules of one state, applied to {@link TtlValue}s: when a value expires, what
 * renews it, and whether an expired value may still be read. A state without a ttl never
 * expires; its values are stamped anyway, so the stored form does not depend on the config.
 */
final class Ttl {
  private final StateTtlConfig config;
  private final long ttlMillis;
  private final LongSupplier clock;

  /**
   * The rules of {@code config}; a ttl under one millisecond counts as one, the clock's unit.
   *
   * @param config null for never
   * @param clock processing time in epoch milliseconds
   */
  Ttl(StateTtlConfig config, LongSupplier clock) {
    this.config = config;
    this.ttlMillis = config == null ? Long.MAX_VALUE : Math.max(1, millis(config.ttl()));
    this.clock = clock;
  }

  private static long millis(Duration ttl) {
    try {
      return ttl.toMillis();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  /** The clock's time now. */
  long now() {
    return clock.getAsLong();
  }

  /** A new value stamped {@code now}. */
  <V> TtlValue<V> stamp(V value, long now) {
    return new TtlValue<>(value, now);
  }

  /** Whether {@code v} has expired at {@code now}: {@code ttl} or more since its stamp. */
  boolean expired(TtlValue<?> v, long now) {
    return config != null && now - v.timestamp() >= ttlMillis;
  }

  /** Whether an expired value that is still stored is returned by the read that finds it. */
  boolean returnsExpired() {
    return config != null
        && config.visibility() == StateTtlConfig.Visibility.RETURN_EXPIRED_IF_NOT_CLEANED_UP;
  }

  /** Whether reading an unexpired value renews it. */
  boolean renewsOnRead() {
    return config != null && config.updateType() == StateTtlConfig.UpdateType.ON_READ_AND_WRITE;
  }

  /** {@code v} as a read at {@code now} leaves it: restamped if reads renew, else itself. */
  <V> TtlValue<V> afterRead(TtlValue<V> v, long now) {
    return renewsOnRead() && v.timestamp() != now ? new TtlValue<>(v.value(), now) : v;
  }
}
