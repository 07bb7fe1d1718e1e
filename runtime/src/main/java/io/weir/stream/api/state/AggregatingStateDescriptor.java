package io.weir.stream.api.state;

import io.weir.stream.api.AggregateFunction;
import java.util.Objects;

/**
 * Describes an {@link AggregatingState}; the accumulator is what is stored.
 *
 * @param name unique within the operator, never null or blank
 * @param aggregator creates, feeds and reads the accumulator, never null
 * @param accumulatorType the accumulator's class, for serialization, never null
 * @param ttl time to live; null for never
 * @param <I> the type of the values added
 * @param <A> the accumulator type
 * @param <O> the result type
 */
public record AggregatingStateDescriptor<I, A, O>(
    String name, AggregateFunction<I, A, O> aggregator, Class<A> accumulatorType,
    StateTtlConfig ttl) implements StateDescriptor<AggregatingState<I, O>> {
  /** Checks the name, function and type. */
  public AggregatingStateDescriptor {
    StateDescriptor.checkName(name);
    Objects.requireNonNull(aggregator, "aggregator");
    Objects.requireNonNull(accumulatorType, "accumulatorType");
  }

  /** A descriptor whose state never expires. */
  public static <I, A, O> AggregatingStateDescriptor<I, A, O> of(String name,
      AggregateFunction<I, A, O> aggregator, Class<A> accumulatorType) {
    return new AggregatingStateDescriptor<>(name, aggregator, accumulatorType, null);
  }

  /** A copy with a time to live; null for never. */
  public AggregatingStateDescriptor<I, A, O> withTtl(StateTtlConfig newTtl) {
    return new AggregatingStateDescriptor<>(name, aggregator, accumulatorType, newTtl);
  }
}
