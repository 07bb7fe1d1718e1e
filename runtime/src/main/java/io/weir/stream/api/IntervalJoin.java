package io.weir.stream.api;

import java.time.Duration;

/**
 * An interval join of two keyed streams with equal key types, started by
 * {@code left.intervalJoin(right)}: pairs each left element with every right element of the
 * same key whose timestamp is within {@code [left + lower, left + upper]}. Both streams need
 * timestamps (an element without one fails the job) and watermarks to clean up: each side's
 * elements are buffered per key until the watermark passes the last time they can still
 * match. Elements behind the watermark on arrival are late: they are dropped, counted and
 * reported in a warning in the log. Immutable builders.
 *
 * @param <L> the left stream's elements
 * @param <R> the right stream's elements
 * @param <K> the key type
 */
public interface IntervalJoin<L, R, K> {
  /**
   * The interval, relative to the left element's timestamp; bounds included.
   *
   * @param lower may be negative, never null
   * @param upper at least {@code lower}, never null
   * @return the next step
   * @throws IllegalArgumentException when {@code lower} is after {@code upper}
   */
  Between<L, R, K> between(Duration lower, Duration upper);

  /**
   * The interval is set, waiting for the function.
   *
   * @param <L> the left stream's elements
   * @param <R> the right stream's elements
   * @param <K> the key type
   */
  interface Between<L, R, K> {
    /** Excludes the lower bound: {@code left + lower < right}. Returns a new builder. */
    Between<L, R, K> lowerBoundExclusive();

    /** Excludes the upper bound: {@code right < left + upper}. Returns a new builder. */
    Between<L, R, K> upperBoundExclusive();

    /**
     * Calls {@code function} for each pair found.
     *
     * @param function never null
     * @param <O> the result type
     * @return the results
     */
    <O> DataStream<O> process(ProcessJoinFunction<L, R, O> function);
  }
}
