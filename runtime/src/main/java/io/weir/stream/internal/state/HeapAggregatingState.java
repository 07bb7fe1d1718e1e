package io.weir.stream.internal.state;

import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.state.AggregatingState;
import io.weir.stream.api.state.AggregatingStateDescriptor;
import java.util.Objects;

/**
 * An {@link AggregatingState} kept on the heap; the accumulator is stored. An expired
 * accumulator is never added to: an add after expiry starts a new one, whatever the visibility.
 */
final class HeapAggregatingState<I, A, O> extends AbstractSingleValueState<A>
    implements AggregatingState<I, O> {
  private final AggregateFunction<I, A, O> aggregator;

  HeapAggregatingState(AggregatingStateDescriptor<I, A, O> descriptor, KeyedStateBackend backend,
      Ttl ttl) {
    super(descriptor, backend, ttl);
    this.aggregator = descriptor.aggregator();
  }

  @Override
  public O get() {
    A accumulator = read();
    if (accumulator == null) {
      return null;
    }
    return Objects.requireNonNull(aggregator.getResult(accumulator),
        () -> "the aggregate function of " + describe() + " returned a null result");
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code value} is null, or the function returns a null
   *     accumulator
   */
  @Override
  public void add(I value) {
    Objects.requireNonNull(value, () -> "a value added to " + describe() + " must not be null");
    long now = ttl.now();
    A accumulator = liveValue(now);
    if (accumulator == null) {
      accumulator = Objects.requireNonNull(aggregator.createAccumulator(),
          () -> "the aggregate function of " + describe() + " created a null accumulator");
    }
    A added = Objects.requireNonNull(aggregator.add(value, accumulator),
        () -> "the aggregate function of " + describe() + " returned a null accumulator");
    write(added, now);
  }
}
