package io.weir.stream.internal;

import io.weir.log.api.ProducerRecord;
import io.weir.stream.api.ConnectedStreams;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.DataStreamSink;
import io.weir.stream.api.FilterFunction;
import io.weir.stream.api.FlatMapFunction;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.KeySelector;
import io.weir.stream.api.KeyedStream;
import io.weir.stream.api.LogRecordRouter;
import io.weir.stream.api.LogRecordSerializer;
import io.weir.stream.api.MapFunction;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.ProcessFunction;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.sink.Sink;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import io.weir.stream.api.windowing.CoGroupedStreams;
import io.weir.stream.api.windowing.JoinedStreams;
import io.weir.stream.internal.windowing.WindowJoins;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stream handle: the upstreams it reads (one, or several after a union) and their exchanges.
 * Operations add nodes to the builder; settings change the producing node.
 */
final class DataStreamImpl<T> implements DataStream<T> {
  private final JobBuilderImpl job;
  private final List<StreamInput> inputs;

  DataStreamImpl(JobBuilderImpl job, List<StreamInput> inputs) {
    this.job = job;
    this.inputs = List.copyOf(inputs);
  }

  JobBuilderImpl job() {
    return job;
  }

  List<StreamInput> inputs() {
    return inputs;
  }

  @Override
  public <R> DataStream<R> map(MapFunction<T, R> mapper) {
    return then(OperatorKind.MAP, "Map", mapper);
  }

  @Override
  public <R> DataStream<R> flatMap(FlatMapFunction<T, R> flatMapper) {
    return then(OperatorKind.FLAT_MAP, "Flat Map", flatMapper);
  }

  @Override
  public DataStream<T> filter(FilterFunction<T> filter) {
    return then(OperatorKind.FILTER, "Filter", filter);
  }

  @Override
  public <K> KeyedStream<T, K> keyBy(KeySelector<T, K> keySelector) {
    return new KeyedStreamImpl<>(job, exchange(Partitioning.HASH, keySelector), keySelector);
  }

  @Override
  public <R> DataStream<R> process(ProcessFunction<T, R> function) {
    return then(OperatorKind.PROCESS, "Process", function);
  }

  @Override
  public DataStream<T> assignTimestampsAndWatermarks(WatermarkStrategy<T> strategy) {
    return then(OperatorKind.TIMESTAMPS, "Timestamps/Watermarks", strategy);
  }

  @Override
  public <X> DataStream<X> getSideOutput(OutputTag<X> tag) {
    Objects.requireNonNull(tag, "tag");
    return new DataStreamImpl<>(job,
        List.of(new StreamInput(producer("getSideOutput").id, Partitioning.FORWARD, null,
            tag.id())));
  }

  @SafeVarargs
  @Override
  public final DataStream<T> union(DataStream<T>... others) {
    List<StreamInput> all = new ArrayList<>(inputs);
    for (DataStream<T> other : others) {
      all.addAll(sameJob(other).inputs);
    }
    return new DataStreamImpl<>(job, all);
  }

  @Override
  public <U> ConnectedStreams<T, U> connect(DataStream<U> other) {
    return new ConnectedStreamsImpl<>(job, inputs, sameJob(other).inputs);
  }

  @Override
  public <U> JoinedStreams<T, U> join(DataStream<U> other) {
    return WindowJoins.join(this, sameJob(other));
  }

  @Override
  public <U> CoGroupedStreams<T, U> coGroup(DataStream<U> other) {
    return WindowJoins.coGroup(this, sameJob(other));
  }

  @Override
  public DataStream<T> broadcast() {
    return new DataStreamImpl<>(job, exchange(Partitioning.BROADCAST, null));
  }

  @Override
  public DataStream<T> rebalance() {
    return new DataStreamImpl<>(job, exchange(Partitioning.REBALANCE, null));
  }

  @Override
  public DataStreamSink<T> sinkTo(Sink<T> sink) {
    if (sink instanceof TwoPhaseCommitSink<?, ?> two && two.globalCommitter()) {
      // Writers at the stream's parallelism, then one committer fed by all of them.
      NodeSpec writers = job.addOperator(OperatorKind.SINK, "Sink",
          new SinkSpec.CommittableWriter(two), List.of(inputs));
      NodeSpec committer = job.addOperator(OperatorKind.SINK, "Sink: Committer",
          new SinkSpec.GlobalCommitter(two),
          List.of(List.of(new StreamInput(writers.id, Partitioning.REBALANCE, null, null))));
      committer.parallelism = 1;
      committer.chaining = ChainingStrategy.NEVER;
      return new DataStreamSinkImpl<>(writers, committer);
    }
    return sink("Sink", new SinkSpec.Connector(sink));
  }

  @Override
  public DataStreamSink<T> toLog(String topic) {
    return toLog(topic, (element, t) -> ProducerRecord.of(t, (String) null,
        String.valueOf(element)));
  }

  @Override
  public DataStreamSink<T> toLog(String topic, LogRecordSerializer<T> serializer) {
    return sink("Sink: Log " + topic, new SinkSpec.Log(topic, serializer, null));
  }

  @Override
  public DataStreamSink<T> toLog(LogRecordRouter<T> router) {
    return sink("Sink: Log (routed)", new SinkSpec.RoutedLog(router, null));
  }

  @Override
  public DataStreamSink<T> toLog(LogRecordRouter<T> router, String transactionalIdPrefix) {
    if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
      throw new IllegalArgumentException("an exactly-once log sink needs a transactional id"
          + " prefix, unique among the jobs writing to the log");
    }
    return sink("Sink: Log (routed)", new SinkSpec.RoutedLog(router, transactionalIdPrefix));
  }

  @Override
  public DataStreamSink<T> toLog(String topic, LogRecordSerializer<T> serializer,
      String transactionalIdPrefix) {
    if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
      throw new IllegalArgumentException("an exactly-once log sink needs a transactional id"
          + " prefix, unique among the jobs writing to the log");
    }
    return sink("Sink: Log " + topic, new SinkSpec.Log(topic, serializer,
        transactionalIdPrefix));
  }

  @Override
  public DataStreamSink<T> print() {
    return sink("Sink: Print", new SinkSpec.Print());
  }

  @Override
  public DataStream<T> name(String name) {
    producer("name").rename(name);
    return this;
  }

  @Override
  public DataStream<T> setParallelism(int parallelism) {
    producer("setParallelism").parallelism = parallelism;
    return this;
  }

  @Override
  public DataStream<T> disableChaining() {
    producer("disableChaining").chaining = ChainingStrategy.NEVER;
    return this;
  }

  @Override
  public DataStream<T> startNewChain() {
    producer("startNewChain").chaining = ChainingStrategy.HEAD;
    return this;
  }

  private <R> DataStream<R> then(OperatorKind kind, String name, Object function) {
    NodeSpec node = job.addOperator(kind, name, function, List.of(inputs));
    return new DataStreamImpl<>(job, List.of(StreamInput.of(node.id)));
  }

  private DataStreamSink<T> sink(String name, SinkSpec spec) {
    return new DataStreamSinkImpl<>(job.addOperator(OperatorKind.SINK, name, spec,
        List.of(inputs)));
  }

  private List<StreamInput> exchange(Partitioning partitioning, KeySelector<?, ?> selector) {
    return inputs.stream().map(in -> in.with(partitioning, selector)).toList();
  }

  private NodeSpec producer(String setting) {
    if (inputs.size() != 1) {
      throw new InvalidJobException(setting + "() applies to the operator that produced a stream,"
          + " and a union has " + inputs.size() + "; call it on each stream before the union");
    }
    return job.node(inputs.get(0).node());
  }

  private <U> DataStreamImpl<U> sameJob(DataStream<U> other) {
    Objects.requireNonNull(other, "other stream");
    if (!(other instanceof DataStreamImpl<U> impl) || impl.job != job) {
      throw new InvalidJobException("a stream can only be combined with streams of the same job");
    }
    return impl;
  }
}
