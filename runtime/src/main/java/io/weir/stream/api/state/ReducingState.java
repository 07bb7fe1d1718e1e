package io.weir.stream.api.state;

/**
 * One value per key, combined with each added value by the descriptor's reduce function.
 *
 * @param <T> the value type
 */
public interface ReducingState<T> extends AppendingState<T, T> {}
