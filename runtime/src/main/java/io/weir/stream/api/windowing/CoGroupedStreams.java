package io.weir.stream.api.windowing;

import io.weir.stream.api.CoGroupFunction;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.KeySelector;
import java.time.Duration;

/**
 * Two streams to group together by key and window: {@code first.coGroup(second).where(k1).equalTo(k2)
 * .window(assigner).apply(fn)}. Each window of a key that has elements on either side gives one call with both sides' elements, one of them possibly empty. Each step returns a new immutable builder.
 *
 * <p>It runs as a windowed keyed stream: both streams are tagged with their side, united,
 * keyed by their key selectors and windowed, so the window semantics (triggers, allowed
 * lateness, cleanup) are those of {@link WindowedStream}, and each window keeps every element
 * of both sides until it is cleaned up. Elements must carry timestamps for event-time windows,
 * and must be serializable records (they cross an exchange inside a tagged record).
 *
 * @param <T1> the first stream's elements
 * @param <T2> the second stream's elements
 */
public interface CoGroupedStreams<T1, T2> {
  /**
   * The first stream's key.
   *
   * @param keySelector never null, deterministic, never returns null
   * @param <K> the key type, equal for both streams
   * @return the next step
   */
  <K> Where<T1, T2, K> where(KeySelector<T1, K> keySelector);

  /**
   * Waits for the second stream's key.
   *
   * @param <T1> the first stream's elements
   * @param <T2> the second stream's elements
   * @param <K> the key type
   */
  interface Where<T1, T2, K> {
    /**
     * The second stream's key.
     *
     * @param keySelector never null, deterministic, never returns null
     * @return the next step
     */
    EqualTo<T1, T2, K> equalTo(KeySelector<T2, K> keySelector);
  }

  /**
   * Waits for the windows.
   *
   * @param <T1> the first stream's elements
   * @param <T2> the second stream's elements
   * @param <K> the key type
   */
  interface EqualTo<T1, T2, K> {
    /**
     * The windows both streams are cut into.
     *
     * @param assigner never null; sees the tagged elements, so it must accept any object (the
     *     assigners of this package do)
     * @param <W> the window type
     * @return the next step
     */
    <W extends Window> WithWindow<T1, T2, K, W> window(WindowAssigner<Object, W> assigner);
  }

  /**
   * Windowed, waiting for the function.
   *
   * @param <T1> the first stream's elements
   * @param <T2> the second stream's elements
   * @param <K> the key type
   * @param <W> the window type
   */
  interface WithWindow<T1, T2, K, W extends Window> {
    /**
     * Replaces the assigner's default trigger.
     *
     * @param trigger never null
     * @return a new builder
     */
    WithWindow<T1, T2, K, W> trigger(Trigger<Object, ? super W> trigger);

    /**
     * How long after a window's end elements are still added to it (event-time windows).
     *
     * @param lateness zero or more
     * @return a new builder
     */
    WithWindow<T1, T2, K, W> allowedLateness(Duration lateness);

    /**
     * Calls the function with both sides' elements of each window when it fires.
     *
     * @param function never null
     * @param <O> the result type
     * @return the results
     */
    <O> DataStream<O> apply(CoGroupFunction<T1, T2, O> function);
  }
}
