package io.weir.stream.api.state;

import io.weir.stream.api.ReduceFunction;
import java.util.Objects;

/**
 * Describes a {@link ReducingState}. Compared by name, types and ttl; the function by identity.
 *
 * @param name unique within the operator, never null or blank
 * @param reducer combines the value with each added one, never null
 * @param type the value's class, never null
 * @param ttl time to live; null for never
 * @param <T> the value type
 */
public record ReducingStateDescriptor<T>(
    String name, ReduceFunction<T> reducer, Class<T> type, StateTtlConfig ttl)
    implements StateDescriptor<ReducingState<T>> {
  /** Checks the name, function and type. */
  public ReducingStateDescriptor {
    StateDescriptor.checkName(name);
    Objects.requireNonNull(reducer, "reducer");
    Objects.requireNonNull(type, "type");
  }

  /** A descriptor whose state never expires. */
  public static <T> ReducingStateDescriptor<T> of(String name, ReduceFunction<T> reducer,
      Class<T> type) {
    return new ReducingStateDescriptor<>(name, reducer, type, null);
  }

  /** A copy with a time to live; null for never. */
  public ReducingStateDescriptor<T> withTtl(StateTtlConfig newTtl) {
    return new ReducingStateDescriptor<>(name, reducer, type, newTtl);
  }
}
