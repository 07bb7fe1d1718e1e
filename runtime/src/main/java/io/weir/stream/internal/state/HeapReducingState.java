package io.weir.stream.internal.state;

import io.weir.stream.api.ReduceFunction;
import io.weir.stream.api.state.ReducingState;
import io.weir.stream.api.state.ReducingStateDescriptor;
import java.util.Objects;

/**
 * A {@link ReducingState} kept on the heap. An expired value is never reduced with: an add after
 * expiry starts afresh, whatever the visibility.
 */
final class HeapReducingState<T> extends AbstractSingleValueState<T> implements ReducingState<T> {
  private final ReduceFunction<T> reducer;

  HeapReducingState(ReducingStateDescriptor<T> descriptor, KeyedStateBackend backend, Ttl ttl) {
    super(descriptor, backend, ttl);
    this.reducer = descriptor.reducer();
  }

  @Override
  public T get() {
    return read();
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code value} is null, or the function returns null
   * @throws StateFunctionException when the reduce function throws a checked exception; its
   *     unchecked exceptions pass unchanged
   */
  @Override
  public void add(T value) {
    Objects.requireNonNull(value, () -> "a value added to " + describe() + " must not be null");
    long now = ttl.now();
    T current = liveValue(now);
    T reduced;
    if (current == null) {
      reduced = value;
    } else {
      try {
        reduced = reducer.reduce(current, value);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new StateFunctionException("the reduce function of " + describe() + " failed", e);
      }
      Objects.requireNonNull(reduced, () -> "the reduce function of " + describe()
          + " returned null");
    }
    write(reduced, now);
  }
}
