package io.weir.stream.api.state;

import java.util.Objects;

/**
 * Describes a {@link ListState}.
 *
 * @param name unique within the operator, never null or blank
 * @param elementType the elements' class, for serialization, never null
 * @param ttl time to live of each element; null for never
 * @param <T> the element type
 */
public record ListStateDescriptor<T>(String name, Class<T> elementType, StateTtlConfig ttl)
    implements StateDescriptor<ListState<T>> {
  /** Checks the name and type. */
  public ListStateDescriptor {
    StateDescriptor.checkName(name);
    Objects.requireNonNull(elementType, "elementType");
  }

  /** A descriptor whose state never expires. */
  public static <T> ListStateDescriptor<T> of(String name, Class<T> elementType) {
    return new ListStateDescriptor<>(name, elementType, null);
  }

  /** A copy with a time to live; null for never. */
  public ListStateDescriptor<T> withTtl(StateTtlConfig newTtl) {
    return new ListStateDescriptor<>(name, elementType, newTtl);
  }
}
