package io.weir.stream.api.state;

/**
 * Names a keyed state and its type, for {@code RuntimeContext.getState}. The name identifies
 * the state in checkpoints: keep it when the job changes, or the state is lost.
 *
 * @param <S> the kind of state it describes
 */
public sealed interface StateDescriptor<S extends State> permits ValueStateDescriptor,
    ListStateDescriptor, MapStateDescriptor, ReducingStateDescriptor, AggregatingStateDescriptor {
  /** The state's name, unique within its operator, never null or blank. */
  String name();

  /** The state's time to live; null when it never expires. */
  StateTtlConfig ttl();

  /** Checks a descriptor's name; for the records' constructors. */
  static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a state's name must not be null or blank");
    }
  }
}
