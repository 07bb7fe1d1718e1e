package io.weir.stream.internal;

import io.weir.stream.api.DataStreamSink;

/**
 * The settings of a sink node. A sink with a global committer is two nodes: the writers, which
 * the settings apply to, and the committer (parallelism 1), which follows the writers' name.
 */
final class DataStreamSinkImpl<T> implements DataStreamSink<T> {
  private final NodeSpec node;
  private final NodeSpec committer;

  DataStreamSinkImpl(NodeSpec node) {
    this(node, null);
  }

  DataStreamSinkImpl(NodeSpec node, NodeSpec committer) {
    this.node = node;
    this.committer = committer;
  }

  @Override
  public DataStreamSink<T> name(String name) {
    node.rename(name);
    if (committer != null) {
      committer.rename(name + ": Committer");
    }
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
