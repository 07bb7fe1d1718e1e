package io.weir.stream.api;

import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.sink.Sink;
import io.weir.stream.api.windowing.CoGroupedStreams;
import io.weir.stream.api.windowing.JoinedStreams;

/**
 * A stream of elements of type {@code T} in a job being defined, with Flink's DataStream
 * operations. Each operation adds an operator to the job and returns the stream of its output;
 * nothing runs until the job is planned and started.
 *
 * <p>The settings ({@link #name}, {@link #setParallelism}, {@link #disableChaining},
 * {@link #startNewChain}) apply to the operator that produced this stream and return this
 * stream; on a union, which has several producing operators, they throw
 * {@link InvalidJobException} at once. Not thread-safe: a job is defined by one thread.
 * Every stream must end in a sink ({@link #sinkTo}, {@link #toLog}, {@link #print}), or
 * planning fails.
 *
 * @param <T> the element type
 */
public interface DataStream<T> {
  /**
   * Applies a function to every element.
   *
   * @param mapper never null, never returns null
   * @param <R> the output type
   * @return the mapped stream
   */
  <R> DataStream<R> map(MapFunction<T, R> mapper);

  /**
   * Applies a function that emits zero or more elements for every element.
   *
   * @param flatMapper never null
   * @param <R> the output type
   * @return the stream of emitted elements
   */
  <R> DataStream<R> flatMap(FlatMapFunction<T, R> flatMapper);

  /**
   * Keeps the elements for which the predicate holds.
   *
   * @param filter never null
   * @return the filtered stream
   */
  DataStream<T> filter(FilterFunction<T> filter);

  /**
   * Partitions the stream by key: elements with equal keys go to the same subtask, through
   * key groups. A selector that returns null fails the job at run time with
   * {@link NullKeyException}.
   *
   * @param keySelector never null (checked when planned), deterministic, never returns null
   * @param <K> the key type; its {@code hashCode} must be stable across JVMs (not identity)
   * @return the keyed stream
   */
  <K> KeyedStream<T, K> keyBy(KeySelector<T, K> keySelector);

  /**
   * Applies a process function, which may emit to side outputs.
   *
   * @param function never null
   * @param <R> the output type
   * @return the function's main output
   */
  <R> DataStream<R> process(ProcessFunction<T, R> function);

  /**
   * The side output with this tag of the operator that produced this stream. Only a process
   * function emits side outputs; planning fails for any other operator.
   *
   * <p>Throws {@link InvalidJobException} at once when this stream is a union.
   *
   * @param tag never null
   * @param <X> the side output's type
   * @return the side output stream
   */
  <X> DataStream<X> getSideOutput(OutputTag<X> tag);

  /**
   * Merges this stream with others of the same type, without order between them. The next
   * operator reads all of them, so it starts a new vertex.
   *
   * @param others never null, none null
   * @return the merged stream
   */
  @SuppressWarnings("unchecked")
  DataStream<T> union(DataStream<T>... others);

  /**
   * Connects this stream with another, possibly of another type, for a {@link CoProcessFunction}.
   *
   * @param other never null
   * @param <U> the other stream's type
   * @return the pair of streams
   */
  <U> ConnectedStreams<T, U> connect(DataStream<U> other);

  /**
   * Starts a window join with another stream: {@code join(other).where(k1).equalTo(k2)
   * .window(assigner).apply(fn)} emits one result per pair of elements with equal keys in the
   * same window.
   *
   * @param other never null, of the same job
   * @param <U> the other stream's type
   * @return the join's first step
   */
  <U> JoinedStreams<T, U> join(DataStream<U> other);

  /**
   * Starts a window co-group with another stream: {@code coGroup(other).where(k1).equalTo(k2)
   * .window(assigner).apply(fn)} calls the function once per key and window with both sides'
   * elements.
   *
   * @param other never null, of the same job
   * @param <U> the other stream's type
   * @return the co-group's first step
   */
  <U> CoGroupedStreams<T, U> coGroup(DataStream<U> other);

  /** Sends every element to every subtask of the next operator. */
  DataStream<T> broadcast();

  /** Spreads elements round-robin over the subtasks of the next operator. */
  DataStream<T> rebalance();

  /**
   * Gives the stream's records event time and watermarks: each subtask assigns timestamps with
   * the strategy's assigner and runs one watermark generator, emitting its watermarks every
   * {@code weir.stream.auto-watermark-interval} (and at once for punctuated generators).
   * Watermarks from upstream are replaced by these, except the final one at the end of input.
   * Prefer a source with a strategy ({@code fromLog}, {@code fromSource}): it tracks each
   * partition apart.
   *
   * @param strategy never null
   * @return the stream with timestamps and watermarks
   */
  DataStream<T> assignTimestampsAndWatermarks(WatermarkStrategy<T> strategy);

  /**
   * Writes the stream to a sink connector.
   *
   * @param sink never null
   * @return the sink, for its settings
   */
  DataStreamSink<T> sinkTo(Sink<T> sink);

  /**
   * Appends the stream to a Weir log topic: each element's {@code String.valueOf} as the UTF-8
   * value, without a key.
   *
   * @param topic the topic's name, never null or blank; looked up when the job starts
   * @return the sink, for its settings
   */
  DataStreamSink<T> toLog(String topic);

  /**
   * Appends the stream to a Weir log topic with a serializer of its own.
   *
   * @param topic the topic's name, never null or blank
   * @param serializer turns an element into a record for that topic, never null
   * @return the sink, for its settings
   */
  DataStreamSink<T> toLog(String topic, LogRecordSerializer<T> serializer);

  /**
   * Appends each element to a log topic exactly once: records go into log transactions that are
   * pre-committed on each checkpoint barrier and committed when the checkpoint completes (and
   * again, idempotently, after a restore), so read-committed consumers see each element once
   * even across failures. Needs checkpointing; without it, records are committed when a
   * bounded input ends. A transaction stays open for up to a checkpoint interval, so
   * read-committed consumers see records with that delay.
   *
   * @param topic the topic, which must exist when the job runs
   * @param serializer turns an element into a record, never null
   * @param transactionalIdPrefix starts the transactional ids of the sink's producers
   *     ({@code prefix-subtask-n}); unique among the jobs writing to the log, and kept when the
   *     job restarts
   * @return the sink, to name or set its parallelism
   */
  DataStreamSink<T> toLog(String topic, LogRecordSerializer<T> serializer,
      String transactionalIdPrefix);

  /**
   * Appends each element to the log topic its router picks (at least once): one producer per
   * subtask, a record per element, none when the router returns null. An unknown topic fails
   * the job naming it.
   *
   * @param router picks each element's topic and makes its record, never null
   * @return the sink, to name or set its parallelism
   */
  DataStreamSink<T> toLog(LogRecordRouter<T> router);

  /**
   * Appends each element to the log topic its router picks, exactly once: as
   * {@link #toLog(String, LogRecordSerializer, String)}, one log transaction per checkpoint
   * spanning every topic written.
   *
   * @param router picks each element's topic and makes its record, never null
   * @param transactionalIdPrefix starts the sink's transactional ids; unique among the jobs
   *     writing to the log, and kept when the job restarts
   * @return the sink, to name or set its parallelism
   */
  DataStreamSink<T> toLog(LogRecordRouter<T> router, String transactionalIdPrefix);

  /**
   * Prints each element's {@code String.valueOf} to standard output, prefixed by the subtask.
   *
   * @return the sink, for its settings
   */
  DataStreamSink<T> print();

  /**
   * Names the operator that produced this stream; the name shows in the plan and forms part of
   * its vertex id.
   *
   * @param name never null or blank
   * @return this stream
   */
  DataStream<T> name(String name);

  /**
   * Sets the parallelism of the operator that produced this stream.
   *
   * @param parallelism from 1 to the max parallelism; checked when the job is planned
   * @return this stream
   */
  DataStream<T> setParallelism(int parallelism);

  /** Keeps the operator that produced this stream out of any chain, before or after it. */
  DataStream<T> disableChaining();

  /** Starts a new chain at the operator that produced this stream; later ones may chain to it. */
  DataStream<T> startNewChain();
}
