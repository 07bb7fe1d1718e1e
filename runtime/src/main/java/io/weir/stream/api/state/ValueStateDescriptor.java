package io.weir.stream.api.state;

import java.util.Objects;

/**
 * Describes a {@link ValueState}.
 *
 * @param name unique within the operator, never null or blank
 * @param type the value's class, for serialization, never null
 * @param ttl time to live; null for never
 * @param <T> the value type
 */
public record ValueStateDescriptor<T>(String name, Class<T> type, StateTtlConfig ttl)
    implements StateDescriptor<ValueState<T>> {
  /** Checks the name and type. */
  public ValueStateDescriptor {
    StateDescriptor.checkName(name);
    Objects.requireNonNull(type, "type");
  }

  /** A descriptor whose state never expires. */
  public static <T> ValueStateDescriptor<T> of(String name, Class<T> type) {
    return new ValueStateDescriptor<>(name, type, null);
  }

  /** A copy with a time to live; null for never. */
  public ValueStateDescriptor<T> withTtl(StateTtlConfig newTtl) {
    return new ValueStateDescriptor<>(name, type, newTtl);
  }
}
