package io.weir.stream.api;

/**
 * The most general function on a (non-keyed) stream: emits any number of elements, to its main
 * output and to side outputs, and sees timestamps and the watermark. Called by one thread per
 * subtask.
 *
 * @param <I> the input type
 * @param <O> the main output type
 */
@FunctionalInterface
public interface ProcessFunction<I, O> extends RichFunction {
  /**
   * Processes one element.
   *
   * @param value never null
   * @param ctx the element's context; valid only during this call
   * @param out the main output; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void processElement(I value, Context ctx, Collector<O> out) throws Exception;

  /** The context of one element. */
  interface Context {
    /** The element's event timestamp in epoch milliseconds; null when it has none. */
    Long timestamp();

    /** The operator's current event-time watermark; {@code Long.MIN_VALUE} before the first. */
    long currentWatermark();

    /**
     * Emits to a side output.
     *
     * @param tag the side output, never null
     * @param value never null
     * @param <X> the side output's type
     */
    <X> void output(OutputTag<X> tag, X value);
  }
}
