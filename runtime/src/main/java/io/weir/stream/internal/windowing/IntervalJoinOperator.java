package io.weir.stream.internal.windowing;

import io.weir.stream.api.Collector;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.ProcessJoinFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.state.MapState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An interval join as a keyed process function over {@link Tagged} elements: each side's
 * elements are buffered per key by timestamp; an arriving element is paired with the other
 * side's buffered elements in its interval ({@code left + lower <= right <= left + upper}).
 * Buffers are cleaned by event-time timers once no element that could still match can arrive:
 * a left element at {@code t} at {@code t + max(upper, 0)}, a right one at
 * {@code t + max(-lower, 0)}. An element behind the watermark is dropped and counted.
 *
 * @param <K> the key type
 * @param <L> the left stream's elements
 * @param <R> the right stream's elements
 * @param <O> the results
 */
public final class IntervalJoinOperator<K, L, R, O> implements KeyedProcessFunction<K, Tagged, O> {
  private final long lower;
  private final long upper;
  private final ProcessJoinFunction<L, R, O> function;
  private final PairContext pair = new PairContext();
  private MapState<Long, List<Object>> leftBuffer;
  private MapState<Long, List<Object>> rightBuffer;
  private LateRecordCounter late = new LateRecordCounter("interval join", "late records", "");
  private String operator = "interval join";

  /**
   * An interval join operator.
   *
   * @param lower the lower bound in milliseconds, relative to the left timestamp
   * @param upper the upper bound, at least {@code lower}
   * @param function never null
   */
  public IntervalJoinOperator(long lower, long upper, ProcessJoinFunction<L, R, O> function) {
    if (lower > upper) {
      throw new IllegalArgumentException("lower bound " + lower + " > upper bound " + upper);
    }
    this.lower = lower;
    this.upper = upper;
    this.function = Objects.requireNonNull(function, "function");
  }

  @Override
  public void open(RuntimeContext context) throws Exception {
    operator = context.operatorName();
    leftBuffer = WindowTimers.mapState(context, "interval-join-left", Long.class, List.class);
    rightBuffer = WindowTimers.mapState(context, "interval-join-right", Long.class, List.class);
    late = new LateRecordCounter(operator, "records behind the watermark",
        "an interval join cannot match them once the other side's buffer is cleaned")
        .withMeter(context.counter("weir.join.late.records.dropped",
            "records an interval join dropped for being behind the watermark"));
    function.open(context);
  }

  @Override
  public void close() throws Exception {
    late.close();
    function.close();
  }

  /** How many late elements this subtask dropped. */
  public long droppedLateRecords() {
    return late.dropped();
  }

  @Override
  @SuppressWarnings("unchecked") // The side says which stream a value came from.
  public void processElement(Tagged element, Context<K> ctx, Collector<O> out) throws Exception {
    Long ts = ctx.timestamp();
    if (ts == null) {
      throw new IllegalStateException("operator '" + operator + "' joins by event time, but a "
          + "record of key " + ctx.getCurrentKey() + " has no timestamp: assign timestamps and "
          + "watermarks before the interval join");
    }
    long watermark = ctx.timerService().currentWatermark();
    if (watermark != Long.MIN_VALUE && ts < watermark) {
      late.drop(ctx.timerService().currentProcessingTime(), watermark);
      return;
    }
    pair.ctx = ctx;
    boolean isLeft = element.side() == 0;
    add(isLeft ? leftBuffer : rightBuffer, ts, element.value());
    for (Map.Entry<Long, List<Object>> other : (isLeft ? rightBuffer : leftBuffer).entries()) {
      long lts = isLeft ? ts : other.getKey();
      long rts = isLeft ? other.getKey() : ts;
      if (lts + lower <= rts && rts <= lts + upper) {
        pair.left = lts;
        pair.right = rts;
        for (Object v : other.getValue()) {
          L l = isLeft ? (L) element.value() : (L) v;
          R r = isLeft ? (R) v : (R) element.value();
          function.processElement(l, r, pair, out);
        }
      }
    }
    long keepFor = isLeft ? Math.max(upper, 0) : Math.max(-lower, 0);
    long cleanup = ts + keepFor;
    ctx.timerService().registerEventTimeTimer(cleanup < ts ? Long.MAX_VALUE : cleanup);
  }

  private static void add(MapState<Long, List<Object>> buffer, long ts, Object value) {
    List<Object> values = buffer.get(ts);
    if (values == null) {
      values = new ArrayList<>(1);
    }
    values.add(value);
    buffer.put(ts, values);
  }

  @Override
  public void onTimer(long time, OnTimerContext<K> ctx, Collector<O> out) {
    leftBuffer.remove(time - Math.max(upper, 0));
    rightBuffer.remove(time - Math.max(-lower, 0));
  }

  /** The context of one pair. */
  private static final class PairContext implements ProcessJoinFunction.Context {
    Context<?> ctx;
    long left;
    long right;

    @Override
    public long leftTimestamp() {
      return left;
    }

    @Override
    public long rightTimestamp() {
      return right;
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
      ctx.output(tag, value);
    }
  }
}
