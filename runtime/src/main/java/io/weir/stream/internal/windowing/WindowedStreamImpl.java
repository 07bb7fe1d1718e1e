package io.weir.stream.internal.windowing;

import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.KeyedStream;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.ReduceFunction;
import io.weir.stream.api.windowing.MergingWindowAssigner;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.Trigger;
import io.weir.stream.api.windowing.Window;
import io.weir.stream.api.windowing.WindowAssigner;
import io.weir.stream.api.windowing.WindowedStream;
import java.time.Duration;
import java.util.Objects;

/**
 * A windowed stream: the settings so far. A window function adds a {@link WindowOperator} as a
 * keyed process function of the keyed stream.
 *
 * @param <T> the element type
 * @param <K> the key type
 * @param <W> the window type
 */
public final class WindowedStreamImpl<T, K, W extends Window> implements WindowedStream<T, K, W> {
  private final KeyedStream<T, K> keyed;
  private final WindowAssigner<? super T, W> assigner;
  private final Trigger<? super T, ? super W> trigger;
  private final long allowedLateness;
  private final OutputTag<T> lateTag;

  private WindowedStreamImpl(KeyedStream<T, K> keyed, WindowAssigner<? super T, W> assigner,
      Trigger<? super T, ? super W> trigger, long allowedLateness, OutputTag<T> lateTag) {
    this.keyed = keyed;
    this.assigner = assigner;
    this.trigger = trigger;
    this.allowedLateness = allowedLateness;
    this.lateTag = lateTag;
  }

  /**
   * A keyed stream windowed by {@code assigner}, with its default trigger.
   *
   * @param keyed never null
   * @param assigner never null
   * @param <T> the element type
   * @param <K> the key type
   * @param <W> the window type
   * @return the windowed stream
   */
  public static <T, K, W extends Window> WindowedStreamImpl<T, K, W> of(KeyedStream<T, K> keyed,
      WindowAssigner<? super T, W> assigner) {
    Objects.requireNonNull(assigner, "window assigner");
    return new WindowedStreamImpl<>(keyed, assigner, Objects.requireNonNull(
        assigner.defaultTrigger(), "the assigner's default trigger"), 0, null);
  }

  @Override
  public WindowedStream<T, K, W> trigger(Trigger<? super T, ? super W> newTrigger) {
    Objects.requireNonNull(newTrigger, "trigger");
    if (assigner instanceof MergingWindowAssigner<?, ?> && !newTrigger.canMerge()) {
      throw new InvalidJobException("trigger " + newTrigger + " cannot merge windows, which "
          + assigner + " does");
    }
    return new WindowedStreamImpl<>(keyed, assigner, newTrigger, allowedLateness, lateTag);
  }

  @Override
  public WindowedStream<T, K, W> allowedLateness(Duration lateness) {
    Objects.requireNonNull(lateness, "lateness");
    if (lateness.isNegative()) {
      throw new IllegalArgumentException("allowed lateness must not be negative, was "
          + lateness);
    }
    return new WindowedStreamImpl<>(keyed, assigner, trigger, lateness.toMillis(), lateTag);
  }

  @Override
  public WindowedStream<T, K, W> sideOutputLateData(OutputTag<T> tag) {
    Objects.requireNonNull(tag, "tag");
    return new WindowedStreamImpl<>(keyed, assigner, trigger, allowedLateness, tag);
  }

  @Override
  public DataStream<T> reduce(ReduceFunction<T> reducer) {
    return apply("Window Reduce", WindowContents.<T, T, K, W>reduce(reducer, null));
  }

  @Override
  public <R> DataStream<R> reduce(ReduceFunction<T> reducer,
      ProcessWindowFunction<T, R, K, W> function) {
    Objects.requireNonNull(function, "the process window function");
    return apply("Window Reduce", WindowContents.reduce(reducer, function));
  }

  @Override
  public <A, R> DataStream<R> aggregate(AggregateFunction<T, A, R> aggregate) {
    return apply("Window Aggregate", WindowContents.<T, A, R, R, K, W>aggregate(aggregate,
        null));
  }

  @Override
  public <A, V, R> DataStream<R> aggregate(AggregateFunction<T, A, V> aggregate,
      ProcessWindowFunction<V, R, K, W> function) {
    Objects.requireNonNull(function, "the process window function");
    return apply("Window Aggregate", WindowContents.aggregate(aggregate, function));
  }

  @Override
  public <R> DataStream<R> process(ProcessWindowFunction<T, R, K, W> function) {
    return apply("Window Process", WindowContents.elements(function));
  }

  private <A, R> DataStream<R> apply(String name, WindowContents<T, A, R, K, W> contents) {
    return keyed.process(new WindowOperator<>(assigner, trigger, allowedLateness, lateTag,
        contents)).name(name);
  }
}
