package io.weir.stream.internal;

import io.weir.stream.api.CoProcessFunction;
import io.weir.stream.api.ConnectedStreams;
import io.weir.stream.api.DataStream;
import java.util.List;

/** Two stream handles read by one operator: the first as input 0, the second as input 1. */
final class ConnectedStreamsImpl<A, B> implements ConnectedStreams<A, B> {
  private final JobBuilderImpl job;
  private final List<StreamInput> first;
  private final List<StreamInput> second;

  ConnectedStreamsImpl(JobBuilderImpl job, List<StreamInput> first, List<StreamInput> second) {
    this.job = job;
    this.first = List.copyOf(first);
    this.second = List.copyOf(second);
  }

  @Override
  public <R> DataStream<R> process(CoProcessFunction<A, B, R> function) {
    NodeSpec node = job.addOperator(OperatorKind.CO_PROCESS, "Co-Process", function,
        List.of(first, second));
    return new DataStreamImpl<>(job, List.of(StreamInput.of(node.id)));
  }
}
