package io.weir.stream.api;

/**
 * Receives each pair an interval join finds. Called by one thread per subtask, with the pair's
 * key current.
 *
 * @param <L> the first (left) stream's elements
 * @param <R> the second (right) stream's elements
 * @param <O> the result type
 */
@FunctionalInterface
public interface ProcessJoinFunction<L, R, O> extends RichFunction {
  /**
   * Processes one pair.
   *
   * @param left never null
   * @param right never null
   * @param ctx the pair's timestamps; valid only during this call
   * @param out the main output; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void processElement(L left, R right, Context ctx, Collector<O> out) throws Exception;

  /** The context of one pair. */
  interface Context {
    /** The left element's timestamp, epoch milliseconds. */
    long leftTimestamp();

    /** The right element's timestamp, epoch milliseconds. */
    long rightTimestamp();

    /** The later of the two timestamps. */
    default long timestamp() {
      return Math.max(leftTimestamp(), rightTimestamp());
    }

    /**
     * Emits to a side output.
     *
     * @param tag never null
     * @param value never null
     * @param <X> the side output's type
     */
    <X> void output(OutputTag<X> tag, X value);
  }
}
