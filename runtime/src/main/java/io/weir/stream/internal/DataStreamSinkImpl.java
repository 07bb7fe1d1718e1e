package io.weir.stream.internal;

import io.weir.stream.api.DataStreamSink;

/** The settings of a sink node. */
final class DataStreamSinkImpl<T> implements DataStreamSink<T> {
  private final NodeSpec node;

  DataStreamSinkImpl(NodeSpec node) {
    this.node = node;
  }

  @Override
  public DataStreamSink<T> name(String name) {
    node.rename(name);
    return this;
  }

  @Override
  public DataStreamSink<T> setParallelism(int parallelism) {
    node.parallelism = parallelism;
    return this;
  }

  @Override
  public DataStreamSink<T> disableChaining() {
    node.chaining = ChainingStrategy.NEVER;
    return this;
  }
}
