package io.weir.stream.api.windowing;

import io.weir.stream.api.Collector;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.RichFunction;

/**
 * Computes a window's results from all its elements (or, after an incremental reduce or
 * aggregate, from the one pre-aggregated value), with the window and the time at hand. Called
 * by one thread per subtask, with the window's key current, each time the window fires.
 *
 * @param <I> the elements it receives
 * @param <O> the results it emits
 * @param <K> the key type
 * @param <W> the window type
 */
@FunctionalInterface
public interface ProcessWindowFunction<I, O, K, W extends Window> extends RichFunction {
  /**
   * Emits the results of one firing of a window.
   *
   * @param key the window's key, never null
   * @param context the window and time; valid only during this call
   * @param elements the window's elements in arrival order (not time order), never null or
   *     empty; valid only during this call
   * @param out the main output; valid only during this call
   * @throws Exception any failure, which fails the job
   */
  void process(K key, Context<W> context, Iterable<I> elements, Collector<O> out)
      throws Exception;

  /**
   * The context of one firing.
   *
   * @param <W> the window type
   */
  interface Context<W extends Window> {
    /** The window firing, never null. */
    W window();

    /** The operator's watermark; {@code Long.MIN_VALUE} before the first. */
    long currentWatermark();

    /** The wall clock in epoch milliseconds. */
    long currentProcessingTime();

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
