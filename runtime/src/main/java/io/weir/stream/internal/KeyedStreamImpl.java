package io.weir.stream.internal;

import io.weir.stream.api.DataStream;
import io.weir.stream.api.KeySelector;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.KeyedStream;
import io.weir.stream.api.ReduceFunction;
import java.util.List;

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
  public KeySelector<T, K> keySelector() {
    return keySelector;
  }

  private <R> DataStream<R> then(OperatorKind kind, String name, Object function) {
    NodeSpec node = job.addOperator(kind, name, function, List.of(inputs));
    return new DataStreamImpl<>(job, List.of(StreamInput.of(node.id)));
  }
}
