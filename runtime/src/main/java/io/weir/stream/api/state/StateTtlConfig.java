package io.weir.stream.api.state;

import java.time.Duration;
import java.util.Objects;

/**
 * Time-to-live of keyed state: a value not written (or, with {@link UpdateType#ON_READ_AND_WRITE},
 * not read) for {@code ttl} of processing time expires.
 *
 * @param ttl how long a value lives, positive
 * @param updateType what renews a value's life, never null
 * @param visibility whether an expired value not yet removed may be read, never null
 */
public record StateTtlConfig(Duration ttl, UpdateType updateType, Visibility visibility) {
  /** What renews a value's time to live. */
  public enum UpdateType {
    /** Creating and writing the value. */
    ON_CREATE_AND_WRITE,
    /** Reading it as well. */
    ON_READ_AND_WRITE
  }

  /** Whether an expired value may still be read until it is removed. */
  public enum Visibility {
    /** Never: an expired value reads as absent. */
    NEVER_RETURN_EXPIRED,
    /** Yes, until cleanup removes it. */
    RETURN_EXPIRED_IF_NOT_CLEANED_UP
  }

  /** Checks the values. */
  public StateTtlConfig {
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(updateType, "updateType");
    Objects.requireNonNull(visibility, "visibility");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a state's ttl must be positive, was " + ttl);
    }
  }

  /** Expire after {@code ttl} without a write; expired values are never returned. */
  public static StateTtlConfig of(Duration ttl) {
    return new StateTtlConfig(ttl, UpdateType.ON_CREATE_AND_WRITE, Visibility.NEVER_RETURN_EXPIRED);
  }

  /** A copy with another update type. */
  public StateTtlConfig withUpdateType(UpdateType type) {
    return new StateTtlConfig(ttl, type, visibility);
  }

  /** A copy with another visibility. */
  public StateTtlConfig withVisibility(Visibility v) {
    return new StateTtlConfig(ttl, updateType, v);
  }
}
