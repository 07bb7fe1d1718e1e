package io.weir.stream.api.state;

/**
 * An accumulator per key, fed by the descriptor's aggregate function; {@link #get()} returns its
 * result.
 *
 * @param <I> the type of the values added
 * @param <O> the result type
 */
public interface AggregatingState<I, O> extends AppendingState<I, O> {}
