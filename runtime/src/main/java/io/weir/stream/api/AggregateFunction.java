package io.weir.stream.api;

/**
 * Aggregates values into an accumulator and reads a result from it, as for an average (the
 * accumulator holds a sum and a count).
 *
 * @param <I> the input type
 * @param <A> the accumulator type
 * @param <O> the result type
 */
public interface AggregateFunction<I, A, O> {
  /** A new, empty accumulator, never null. */
  A createAccumulator();

  /**
   * Adds a value.
   *
   * @param value never null
   * @param accumulator never null
   * @return the accumulator with the value added, never null; may be the same object
   */
  A add(I value, A accumulator);

  /**
   * Reads the result.
   *
   * @param accumulator never null
   * @return the result, never null
   */
  O getResult(A accumulator);

  /**
   * Merges two accumulators, for merging windows and rescaling.
   *
   * @param a never null
   * @param b never null
   * @return the merged accumulator, never null
   */
  A merge(A a, A b);
}
