package io.weir.stream.api;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.source.Source;
import java.time.Duration;
import java.util.Collection;

/**
 * Creates the sources of a job and holds its job-wide settings. Handed to
 * {@link JobDefinition#define}; the planner turns what was built into a job graph afterwards.
 *
 * <p>Not thread-safe: a job is defined by one thread. Nothing here runs or reads data; settings
 * are validated when the job is planned, which reports every problem at once in an
 * {@link InvalidJobException}.
 */
public interface JobBuilder {
  /** The default number of key groups, and so the highest parallelism a keyed operator can get. */
  int DEFAULT_MAX_PARALLELISM = 128;

  /**
   * A bounded, non-parallel source of these elements, in order. Its parallelism is always 1.
   *
   * @param elements the elements, none null; the builder keeps a copy of the array
   * @param <T> the element type
   * @return the stream of the elements
   * @throws NullPointerException when an element is null
   */
  @SuppressWarnings("unchecked")
  <T> DataStream<T> fromElements(T... elements);

  /**
   * A bounded, non-parallel source of a collection's elements, in iteration order. Its
   * parallelism is always 1.
   *
   * @param elements the elements, none null; the builder keeps a copy
   * @param <T> the element type
   * @return the stream of the elements
   * @throws NullPointerException when the collection or an element is null
   */
  <T> DataStream<T> fromCollection(Collection<T> elements);

  /**
   * A bounded source of {@code count} generated elements, {@code generator.map(0)} to
   * {@code generator.map(count - 1)}; a parallel source splits the index range among its
   * subtasks.
   *
   * @param generator maps an index to an element, never null
   * @param count how many elements, at least 0
   * @param <T> the element type
   * @return the generated stream
   * @throws IllegalArgumentException when {@code count} is negative
   */
  <T> DataStream<T> generate(GeneratorFunction<T> generator, long count);

  /**
   * An unbounded source of generated elements, indices 0, 1, 2, ...
   *
   * @param generator maps an index to an element, never null
   * @param <T> the element type
   * @return the generated stream
   */
  <T> DataStream<T> generate(GeneratorFunction<T> generator);

  /**
   * A source reading every partition of a Weir log topic, unbounded. Only the description is
   * built here; the topic is looked up when the job starts, not now.
   *
   * @param topic the topic's name, never null or blank
   * @param start where each partition is read from when the job starts without a checkpoint
   * @return the stream of the topic's records
   */
  DataStream<ConsumerRecord> fromLog(String topic, StartPosition start);

  /**
   * A source reading every partition of a Weir log topic, with event time: timestamps from the
   * strategy's assigner (given each record's log timestamp) and one watermark generator per
   * partition. A subtask's watermark is the minimum over its partitions that are not idle.
   *
   * @param topic the topic's name, never null or blank
   * @param start where each partition is read from when the job starts without a checkpoint
   * @param strategy timestamps and watermarks, never null
   * @return the stream of the topic's records
   */
  DataStream<ConsumerRecord> fromLog(String topic, StartPosition start,
      WatermarkStrategy<ConsumerRecord> strategy);

  /**
   * A stream from a source connector.
   *
   * @param source the connector, never null; created again on every node by the definition
   * @param name the operator's name, never null or blank
   * @param <T> the element type
   * @return the source's stream
   */
  <T> DataStream<T> fromSource(Source<T, ?, ?> source, String name);

  /**
   * A stream from a source connector, with event time: timestamps from the strategy's assigner
   * (given what the reader emitted) and a watermark generator per reader.
   *
   * @param source the connector, never null; created again on every node by the definition
   * @param name the operator's name, never null or blank
   * @param strategy timestamps and watermarks, never null
   * @param <T> the element type
   * @return the source's stream
   */
  <T> DataStream<T> fromSource(Source<T, ?, ?> source, String name,
      WatermarkStrategy<T> strategy);

  /**
   * Sets the number of key groups: keyed state is partitioned into this many groups, and no
   * operator may run with more subtasks. Fixed for the life of a job's state.
   *
   * @param maxParallelism from 1 to 32768; checked when the job is planned
   * @return this builder
   */
  JobBuilder setMaxParallelism(int maxParallelism);

  /**
   * Sets the parallelism of every operator that does not set its own.
   *
   * @param parallelism from 1 to the max parallelism; checked when the job is planned
   * @return this builder
   */
  JobBuilder setParallelism(int parallelism);

  /**
   * Turns chaining off for the whole job: every operator becomes its own vertex. For debugging.
   *
   * @return this builder
   */
  JobBuilder disableOperatorChaining();

  /**
   * Takes checkpoints: consistent snapshots of state and source positions that the job rolls
   * back to when a subtask fails (see {@link #setRestartStrategy}).
   *
   * @param config how often and how, never null
   * @return this builder
   */
  JobBuilder enableCheckpointing(CheckpointConfig config);

  /**
   * Exactly-once checkpoints every {@code interval}; see {@link CheckpointConfig#every}.
   *
   * @param interval positive
   * @return this builder
   */
  default JobBuilder enableCheckpointing(Duration interval) {
    return enableCheckpointing(CheckpointConfig.every(interval));
  }

  /**
   * What the job does when a subtask fails. Default: no restart without checkpoints; with
   * checkpoints, restart after 1 s without limit (as Flink).
   *
   * @param strategy never null
   * @return this builder
   */
  JobBuilder setRestartStrategy(RestartStrategy strategy);

  /** The max parallelism set so far, {@link #DEFAULT_MAX_PARALLELISM} unless set. */
  int maxParallelism();

  /** The default parallelism set so far, 1 unless set. */
  int parallelism();
}
