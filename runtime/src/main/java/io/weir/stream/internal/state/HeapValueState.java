package io.weir.stream.internal.state;

import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;

/** A {@link ValueState} kept on the heap of its {@link KeyedStateBackend}. */
final class HeapValueState<T> extends AbstractSingleValueState<T> implements ValueState<T> {
  HeapValueState(ValueStateDescriptor<T> descriptor, KeyedStateBackend backend, Ttl ttl) {
    super(descriptor, backend, ttl);
  }

  @Override
  public T value() {
    return read();
  }

  @Override
  public void update(T value) {
    if (value == null) {
      clear();
    } else {
      write(value, ttl.now());
    }
  }
}
