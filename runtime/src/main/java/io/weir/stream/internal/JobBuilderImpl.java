package io.weir.stream.internal;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.GeneratorFunction;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.source.Source;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The builder a job definition fills: records operators and edges in the order they are
 * defined, so ids follow that order. Not thread-safe.
 */
public final class JobBuilderImpl implements JobBuilder {
  private final String jobName;
  private final List<NodeSpec> nodes = new ArrayList<>();
  private final List<StreamEdge> edges = new ArrayList<>();
  private int maxParallelism = DEFAULT_MAX_PARALLELISM;
  private CheckpointConfig checkpoints;
  private Integer parallelismOverride;
  private RestartStrategy restarts;
  private int parallelism = 1;
  private boolean chaining = true;

  /**
   * Creates an empty builder.
   *
   * @param jobName the job's name, never null
   */
  public JobBuilderImpl(String jobName) {
    this.jobName = Objects.requireNonNull(jobName, "jobName");
  }

  @SafeVarargs
  @Override
  public final <T> DataStream<T> fromElements(T... elements) {
    Objects.requireNonNull(elements, "elements");
    return fromCollection(Arrays.asList(elements));
  }

  @Override
  public <T> DataStream<T> fromCollection(Collection<T> elements) {
    Objects.requireNonNull(elements, "elements");
    List<Object> copy = List.copyOf(elements);
    return source("Source: Elements", new SourceSpec.Elements(copy), true);
  }

  @Override
  public <T> DataStream<T> generate(GeneratorFunction<T> generator, long count) {
    if (count < 0) {
      throw new IllegalArgumentException("a generator's count must be >= 0, was " + count);
    }
    return source("Source: Generator", new SourceSpec.Generated(generator, count), false);
  }

  @Override
  public <T> DataStream<T> generate(GeneratorFunction<T> generator) {
    return source("Source: Generator", new SourceSpec.Generated(generator, -1), false);
  }

  @Override
  public DataStream<ConsumerRecord> fromLog(String topic, StartPosition start) {
    return source("Source: Log " + topic, new SourceSpec.Log(topic, start, null), false);
  }

  @Override
  public DataStream<ConsumerRecord> fromLog(String topic, StartPosition start,
      WatermarkStrategy<ConsumerRecord> strategy) {
    Objects.requireNonNull(strategy, "strategy");
    return source("Source: Log " + topic, new SourceSpec.Log(topic, start, strategy), false);
  }

  @Override
  public <T> DataStream<T> fromSource(Source<T, ?, ?> source, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a source's name must not be null or blank");
    }
    return source(name, new SourceSpec.Connector(source, null), false);
  }

  @Override
  public <T> DataStream<T> fromSource(Source<T, ?, ?> source, String name,
      WatermarkStrategy<T> strategy) {
    Objects.requireNonNull(strategy, "strategy");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a source's name must not be null or blank");
    }
    return source(name, new SourceSpec.Connector(source, strategy), false);
  }

  @Override
  public JobBuilder setMaxParallelism(int value) {
    this.maxParallelism = value;
    return this;
  }

  @Override
  public JobBuilder setParallelism(int value) {
    this.parallelism = value;
    return this;
  }

  @Override
  public JobBuilder disableOperatorChaining() {
    this.chaining = false;
    return this;
  }

  @Override
  public JobBuilder enableCheckpointing(CheckpointConfig config) {
    this.checkpoints = Objects.requireNonNull(config, "config");
    return this;
  }

  @Override
  public JobBuilder setRestartStrategy(RestartStrategy strategy) {
    this.restarts = Objects.requireNonNull(strategy, "strategy");
    return this;
  }

  /** Replaces the job's default parallelism, whatever the definition sets; null for none. */
  void overrideParallelism(Integer value) {
    this.parallelismOverride = value;
  }

  private ExecutionSettings execution() {
    RestartStrategy r = restarts != null ? restarts
        : checkpoints != null ? ExecutionSettings.DEFAULT_WITH_CHECKPOINTS
        : RestartStrategy.none();
    return new ExecutionSettings(checkpoints, r);
  }

  @Override
  public int maxParallelism() {
    return maxParallelism;
  }

  @Override
  public int parallelism() {
    return parallelism;
  }

  /** What was defined so far, frozen; user functions included, not copied. */
  public StreamGraph streamGraph() {
    return new StreamGraph(jobName, maxParallelism,
        parallelismOverride != null ? parallelismOverride : parallelism, chaining,
        nodes.stream().map(NodeSpec::freeze).toList(), edges, execution());
  }

  private <T> DataStream<T> source(String name, SourceSpec spec, boolean nonParallel) {
    NodeSpec node = new NodeSpec(nodes.size(), OperatorKind.SOURCE, name, spec, nonParallel);
    nodes.add(node);
    return new DataStreamImpl<>(this, List.of(StreamInput.of(node.id)));
  }

  /**
   * Adds an operator reading from the given upstreams, one list per input of the operator.
   *
   * @return the new node
   */
  NodeSpec addOperator(OperatorKind kind, String name, Object function,
      List<List<StreamInput>> inputs) {
    NodeSpec node = new NodeSpec(nodes.size(), kind, name, function, false);
    nodes.add(node);
    for (int input = 0; input < inputs.size(); input++) {
      for (StreamInput in : inputs.get(input)) {
        edges.add(new StreamEdge(edges.size(), in.node(), node.id, input, in.partitioning(),
            in.keySelector(), in.sideOutput()));
      }
    }
    return node;
  }

  NodeSpec node(int id) {
    return nodes.get(id);
  }
}
