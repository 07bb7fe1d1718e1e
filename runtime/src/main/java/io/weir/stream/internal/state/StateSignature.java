package io.weir.stream.internal.state;

import io.weir.stream.api.state.AggregatingStateDescriptor;
import io.weir.stream.api.state.ListStateDescriptor;
import io.weir.stream.api.state.MapStateDescriptor;
import io.weir.stream.api.state.ReducingStateDescriptor;
import io.weir.stream.api.state.StateDescriptor;
import io.weir.stream.api.state.StateTtlConfig;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What must match when a state name is registered twice: the kind of state, the stored classes
 * and the time to live. Functions are left out, since a lambda created twice is not equal to
 * itself.
 *
 * @param kind the state interface's simple name
 * @param types the stored classes: value, element, map key and value, or accumulator
 * @param ttl null for never
 */
record StateSignature(String kind, List<Class<?>> types, StateTtlConfig ttl) {
  static StateSignature of(StateDescriptor<?> descriptor) {
    if (descriptor instanceof ValueStateDescriptor<?> d) {
      return new StateSignature("ValueState", List.of(d.type()), d.ttl());
    } else if (descriptor instanceof ListStateDescriptor<?> d) {
      return new StateSignature("ListState", List.of(d.elementType()), d.ttl());
    } else if (descriptor instanceof MapStateDescriptor<?, ?> d) {
      return new StateSignature("MapState", List.of(d.keyType(), d.valueType()), d.ttl());
    } else if (descriptor instanceof ReducingStateDescriptor<?> d) {
      return new StateSignature("ReducingState", List.of(d.type()), d.ttl());
    } else if (descriptor instanceof AggregatingStateDescriptor<?, ?, ?> d) {
      return new StateSignature("AggregatingState", List.of(d.accumulatorType()), d.ttl());
    }
    throw new IllegalArgumentException("unknown kind of state descriptor: " + descriptor);
  }

  @Override
  public String toString() {
    String typeNames = types.stream().map(Class::getName).collect(Collectors.joining(", "));
    return kind + "<" + typeNames + ">" + (ttl == null ? "" : " with " + ttl);
  }
}
