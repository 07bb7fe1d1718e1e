package io.weir.stream.internal;

/** What an operator of a stream graph does; decides how the runtime will call its function. */
public enum OperatorKind {
  /** A source: its operator object is a {@link SourceSpec}. */
  SOURCE,
  /** A {@code MapFunction}. */
  MAP,
  /** A {@code FlatMapFunction}. */
  FLAT_MAP,
  /** A {@code FilterFunction}. */
  FILTER,
  /** A {@code ProcessFunction}. */
  PROCESS,
  /** Assigns timestamps and generates watermarks: a {@code WatermarkStrategy}. */
  TIMESTAMPS,
  /** A {@code KeyedProcessFunction}, after a hash exchange. */
  KEYED_PROCESS,
  /** A {@code ReduceFunction} per key, after a hash exchange. */
  REDUCE,
  /** A {@code CoProcessFunction} over two inputs. */
  CO_PROCESS,
  /** A sink: its operator object is a {@link SinkSpec}. */
  SINK;

  /** Whether the operator's function may emit side outputs. */
  public boolean hasSideOutputs() {
    return this == PROCESS || this == KEYED_PROCESS || this == CO_PROCESS;
  }
}
