package io.weir.stream.internal;

import io.weir.stream.api.DataStream;
import io.weir.stream.api.IntervalJoin;
import io.weir.stream.api.KeySelector;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.KeyedStream;
import io.weir.stream.api.ReduceFunction;
import io.weir.stream.api.windowing.Window;
import io.weir.stream.api.windowing.WindowAssigner;
import io.weir.stream.api.windowing.WindowedStream;
import io.weir.stream.internal.windowing.IntervalJoinImpl;
import io.weir.stream.internal.windowing.WindowedStreamImpl;
import java.util.List;
import java.util.Objects;

/** A stream handle whose upstreams are all hash exchanges by one key selector. */
final class KeyedStreamImpl<T, K> implements KeyedStream<T, K> {
  private final JobBuilderImpl job;
  private final List<StreamInput> inputs;
  private final KeySelector<T, K> keySelector;

  KeyedStreamImpl(JobBuilderImpl job, List<StreamInput> inputs, KeySelector<T, K> keySelector) {
    this.job = job;
    this.inputs = List.copyOf(inputs);
    this.keySelector = keySelector;
  }

  @Override
  public <R> DataStream<R> process(KeyedProcessFunction<K, T, R> function) {
    return then(OperatorKind.KEYED_PROCESS, "Keyed Process", function);
  }

  @Override
  public DataStream<T> reduce(ReduceFunction<T> reducer) {
    return then(OperatorKind.REDUCE, "Reduce", reducer);
  }

  @Override
  public <W extends Window> WindowedStream<T, K, W> window(
      WindowAssigner<? super T, W> assigner) {
    return WindowedStreamImpl.of(this, assigner);
  }

  @Override
  public <U> IntervalJoin<T, U, K> intervalJoin(KeyedStream<U, K> other) {
    Objects.requireNonNull(other, "other stream");
    if (!(other instanceof KeyedStreamImpl<U, K> impl) || impl.job != job) {
      throw new io.weir.stream.api.InvalidJobException(
          "a stream can only be joined with streams of the same job");
    }
    return new IntervalJoinImpl<>(unkeyed(), keySelector, impl.unkeyed(), impl.keySelector);
  }

  /** The stream before keyBy: the same upstreams, forward. */
  DataStream<T> unkeyed() {
    return new DataStreamImpl<>(job, inputs.stream()
        .map(in -> in.with(Partitioning.FORWARD, null)).toList());
  }

  @Override
  public KeySelector<T, K> keySelector() {
    return keySelector;
  }

  private <R> DataStream<R> then(OperatorKind kind, String name, Object function) {
    NodeSpec node = job.addOperator(kind, name, function, List.of(inputs));
    return new DataStreamImpl<>(job, List.of(StreamInput.of(node.id)));
  }
}
