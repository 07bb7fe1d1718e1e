package io.weir.stream.internal.exec;

import io.weir.stream.api.CoProcessFunction;
import io.weir.stream.api.FilterFunction;
import io.weir.stream.api.FlatMapFunction;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.MapFunction;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.ProcessFunction;
import io.weir.stream.api.ReduceFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.TimeDomain;
import io.weir.stream.api.TimerService;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkWriter;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** The run-time operators, one per {@link io.weir.stream.internal.OperatorKind}. */
final class Operators {
  private Operators() {}

  static Long timestampOrNull(long ts) {
    return ts == StreamElement.NO_TIMESTAMP ? null : ts;
  }

  /**
   * The head of a source vertex: passes the source's records on and tracks the position a
   * checkpoint records — the next offset of each log partition, or how many records came.
   */
  static final class SourceHead extends StreamOperator {
    private final java.util.Map<Integer, Long> offsets = new java.util.HashMap<>();
    private long consumed;

    SourceHead(String name) {
      super(name, null);
    }

    @Override
    void processElement(int input, Object value, long ts) {
      consumed++;
      if (value instanceof io.weir.log.api.ConsumerRecord r) {
        offsets.put(r.partition(), r.offset() + 1);
      }
      out.collect(value);
    }

    void restore(SubtaskSnapshot.SourcePosition position) {
      offsets.putAll(position.logOffsets());
      consumed = position.consumed();
    }

    SubtaskSnapshot.SourcePosition position() {
      return new SubtaskSnapshot.SourcePosition(offsets, consumed);
    }
  }

  /** map. */
  static final class Map extends StreamOperator {
    private final MapFunction<Object, Object> fn;

    @SuppressWarnings("unchecked")
    Map(String name, Object fn) {
      super(name, fn);
      this.fn = (MapFunction<Object, Object>) fn;
    }

    @Override
    void processElement(int input, Object value, long ts) throws Exception {
      out.collect(fn.map(value));
    }
  }

  /** flatMap. */
  static final class FlatMap extends StreamOperator {
    private final FlatMapFunction<Object, Object> fn;

    @SuppressWarnings("unchecked")
    FlatMap(String name, Object fn) {
      super(name, fn);
      this.fn = (FlatMapFunction<Object, Object>) fn;
    }

    @Override
    void processElement(int input, Object value, long ts) throws Exception {
      fn.flatMap(value, out);
    }
  }

  /** filter. */
  static final class Filter extends StreamOperator {
    private final FilterFunction<Object> fn;

    @SuppressWarnings("unchecked")
    Filter(String name, Object fn) {
      super(name, fn);
      this.fn = (FilterFunction<Object>) fn;
    }

    @Override
    void processElement(int input, Object value, long ts) throws Exception {
      if (fn.filter(value)) {
        out.collect(value);
      }
    }
  }

  /** The element context of process and co-process functions. */
  static class ElementContext implements ProcessFunction.Context {
    final Emitter out;
    final LongSupplier watermark;
    long timestamp;

    ElementContext(Emitter out, LongSupplier watermark) {
      this.out = out;
      this.watermark = watermark;
    }

    @Override
    public Long timestamp() {
      return timestampOrNull(timestamp);
    }

    @Override
    public long currentWatermark() {
      return watermark.getAsLong();
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
      out.side(tag, value);
    }
  }

  /** process. */
  static final class Process extends StreamOperator {
    private final ProcessFunction<Object, Object> fn;
    private final ElementContext ctx;

    @SuppressWarnings("unchecked")
    Process(String name, Object fn) {
      super(name, fn);
      this.fn = (ProcessFunction<Object, Object>) fn;
      this.ctx = new ElementContext(out, this::currentWatermark);
    }

    @Override
    void processElement(int input, Object value, long ts) throws Exception {
      ctx.timestamp = ts;
      fn.processElement(value, ctx, out);
    }
  }

  /** connect(...).process: one method per input. */
  static final class CoProcess extends StreamOperator {
    private final CoProcessFunction<Object, Object, Object> fn;
    private final ElementContext ctx;

    @SuppressWarnings("unchecked")
    CoProcess(String name, Object fn) {
      super(name, fn);
      this.fn = (CoProcessFunction<Object, Object, Object>) fn;
      this.ctx = new ElementContext(out, this::currentWatermark);
    }

    @Override
    void processElement(int input, Object value, long ts) throws Exception {
      ctx.timestamp = ts;
      if (input == 0) {
        fn.processElement1(value, ctx, out);
      } else {
        fn.processElement2(value, ctx, out);
      }
    }
  }

  /** keyBy(...).process: keyed state, timers and side outputs, with the key current. */
  static final class KeyedProcess extends StreamOperator {
    private final KeyedProcessFunction<Object, Object, Object> fn;
    private final KeyedContext ctx;

    @SuppressWarnings("unchecked")
    KeyedProcess(String name, Object fn, Supplier<Object> key, TimerService timers) {
      super(name, fn);
      this.fn = (KeyedProcessFunction<Object, Object, Object>) fn;
      this.ctx = new KeyedContext(out, this::currentWatermark, key, timers);
    }

    @Override
    void processElement(int input, Object value, long ts) throws Exception {
      ctx.timestamp = ts;
      ctx.domain = null;
      fn.processElement(value, ctx, out);
    }

    @Override
    void onTimer(long time, TimeDomain domain) {
      long ts = domain == TimeDomain.EVENT_TIME ? time : StreamElement.NO_TIMESTAMP;
      out.timestamp(ts);
      ctx.timestamp = ts;
      ctx.domain = domain;
      guard(() -> fn.onTimer(time, ctx, out));
    }
  }

  /** The context of a keyed process function, for elements and timers. */
  static final class KeyedContext extends ElementContext
      implements KeyedProcessFunction.OnTimerContext<Object> {
    private final Supplier<Object> key;
    private final TimerService timers;
    TimeDomain domain;

    KeyedContext(Emitter out, LongSupplier watermark, Supplier<Object> key, TimerService timers) {
      super(out, watermark);
      this.key = key;
      this.timers = timers;
    }

    @Override
    public Object getCurrentKey() {
      return key.get();
    }

    @Override
    public TimerService timerService() {
      return timers;
    }

    @Override
    public TimeDomain timeDomain() {
      if (domain == null) {
        throw new IllegalStateException("timeDomain() is only known while a timer fires");
      }
      return domain;
    }
  }

  /** keyBy(...).reduce: a rolling reduce, emitting the new result for every record. */
  static final class Reduce extends StreamOperator {
    private final ReduceFunction<Object> fn;
    private ValueState<Object> state;

    @SuppressWarnings("unchecked")
    Reduce(String name, Object fn) {
      super(name, fn);
      this.fn = (ReduceFunction<Object>) fn;
    }

    @Override
    void open(RuntimeContext context) {
      super.open(context);
      state = context.getState(ValueStateDescriptor.of("reduce", Object.class));
    }

    @Override
    void processElement(int input, Object value, long ts) throws Exception {
      Object current = state.value();
      Object next = current == null ? value : fn.reduce(current, value);
      if (next == null) {
        throw new NullPointerException("the reduce function returned null");
      }
      state.update(next);
      out.collect(next);
    }
  }

  /**
   * assignTimestampsAndWatermarks: gives records their event time and generates this subtask's
   * watermarks, replacing those from upstream (except the final one at the end of input).
   */
  static final class Timestamps extends StreamOperator {
    private final WatermarkTracker tracker;
    private final WatermarkTracker.Changes changes = new WatermarkTracker.Changes() {
      @Override
      public void watermark(long wm) {
        Timestamps.super.watermark(wm);
      }

      @Override
      public void idle(boolean idle) {
        Timestamps.super.status(idle);
      }
    };

    Timestamps(String name, Object strategy, LongSupplier clock) {
      super(name, strategy);
      this.tracker = new WatermarkTracker((WatermarkStrategy<?>) strategy, clock);
      tracker.addSplit("");
    }

    @Override
    void processElement(int input, Object value, long ts) {
      long assigned = tracker.onRecord("", value, ts);
      out.timestamp(assigned);
      out.collect(value);
      tracker.flush(changes);
    }

    @Override
    public void watermark(long wm) {
      if (wm == Long.MAX_VALUE) {
        super.watermark(wm);
      }
    }

    @Override
    public void status(boolean idle) {}

    @Override
    void onPeriodicWatermark() {
      guard(() -> {
        tracker.onPeriodic();
        tracker.flush(changes);
      });
    }
  }

  /**
   * A sink: hands every record to its writer. On a checkpoint barrier a plain writer flushes (at
   * least once); a two-phase-commit writer pre-commits, and its committables are committed when
   * the checkpoint completes, and again after a restore from it (commits are idempotent). The
   * writers of a sink with a global committer instead send their committables downstream, ahead
   * of the barrier, to the committer's vertex, whose sink operator collects and commits them.
   */
  static final class Sink extends StreamOperator {
    private final SinkWriter<Object> writer;
    private final Committer<Object> committer;
    private final java.util.TreeMap<Long, java.util.List<Object>> pending =
        new java.util.TreeMap<>();
    private boolean finalCheckpoint;
    /** Completed checkpoints whose pre-commits wait for the committer's cadence. */
    private int waiting;
    private long lastCommitNanos = System.nanoTime();
    /** Sends committables downstream, to a global committer, rather than keeping them. */
    private final boolean emitsCommittables;
    /** A writer of {@link #emitsCommittables} saw the end of its input and sent it all on. */
    private boolean inputEnded;

    Sink(String name, SinkWriter<Object> writer, Committer<Object> committer) {
      this(name, writer, committer, false);
    }

    Sink(String name, SinkWriter<Object> writer, Committer<Object> committer,
        boolean emitsCommittables) {
      super(name, writer);
      this.writer = writer;
      this.committer = committer;
      this.emitsCommittables = emitsCommittables;
    }

    /**
     * The job checkpoints: at the end of its input a two-phase-commit sink leaves what it
     * wrote to a final checkpoint, instead of committing it at once.
     */
    void awaitFinalCheckpoint() {
      finalCheckpoint = true;
    }

    /** Whether this sink commits through checkpoints (two-phase commit). */
    boolean twoPhase() {
      return writer instanceof PrecommittingSinkWriter<?, ?> && !emitsCommittables;
    }

    /**
     * On the barrier: flush, and pre-commit when two-phase (an abandoned checkpoint's id comes
     * again: what it staged is kept with the retry's).
     */
    @SuppressWarnings("unchecked")
    void precommit(long checkpointId) {
      guard(() -> {
        if (inputEnded) {
          return; // everything was pre-committed (and sent on, or kept) at the end of input
        }
        writer.flush(false);
        if (emitsCommittables) {
          // Ahead of this checkpoint's barrier, which the chain sends after: the committer
          // has every writer's committables when its barrier aligns.
          out.timestamp(StreamElement.NO_TIMESTAMP);
          ((PrecommittingSinkWriter<Object, Object>) writer).precommit(checkpointId)
              .forEach(out::collect);
        } else if (writer instanceof PrecommittingSinkWriter<?, ?> two) {
          pending.computeIfAbsent(checkpointId, id -> new java.util.ArrayList<>())
              .addAll(((PrecommittingSinkWriter<Object, Object>) two).precommit(checkpointId));
        }
      });
    }

    /** Everything pre-committed and not committed yet, by checkpoint id, oldest first. */
    java.util.SortedMap<Long, java.util.List<Object>> uncommitted() {
      java.util.TreeMap<Long, java.util.List<Object>> copy = new java.util.TreeMap<>();
      pending.forEach((id, items) -> copy.put(id, java.util.List.copyOf(items)));
      return copy;
    }

    /** The checkpoint completed: commit what was pre-committed up to it, by the cadence. */
    void commit(long checkpointId) {
      commit(checkpointId, false);
    }

    /**
     * Commits everything pre-committed up to {@code checkpointId}, in one call, when the
     * committer's cadence says so or {@code force}; else it waits, in the later checkpoints.
     */
    void commit(long checkpointId, boolean force) {
      java.util.SortedMap<Long, java.util.List<Object>> upTo = pending.headMap(checkpointId,
          true);
      if (upTo.isEmpty()) {
        return;
      }
      waiting++;
      long now = System.nanoTime();
      if (!force && committer != null
          && !committer.commitNow(waiting, Duration.ofNanos(now - lastCommitNanos))) {
        return;
      }
      java.util.List<Object> items = new java.util.ArrayList<>();
      upTo.values().forEach(items::addAll);
      upTo.clear();
      waiting = 0;
      lastCommitNanos = now;
      if (committer != null && !items.isEmpty()) {
        guard(() -> committer.commit(checkpointId, items));
      }
    }

    /**
     * The attempt is over and the job goes on (or ends) from checkpoint {@code latest}: what
     * waits for a completed checkpoint (the cadence held it) is committed, and what was
     * pre-committed for later ones will never be, so the committer throws it away. A failure is
     * logged: the data then waits for a restore, or lingers until the system expires it.
     */
    void endAttempt(long latest) {
      if (committer == null) {
        return;
      }
      if (writer instanceof SinkWriters.CommittableCollector collector) {
        // Sent by the writers for a checkpoint whose barrier never reached this committer.
        java.util.List<Object> stray = collector.drain();
        if (!stray.isEmpty()) {
          try {
            committer.abort(FINAL, stray);
          } catch (Exception ex) {
            org.slf4j.LoggerFactory.getLogger(Sink.class).warn("sink {}: aborting what the"
                + " writers sent after checkpoint {} failed: {}", name, latest, ex.toString());
          }
        }
      }
      if (latest >= 0) {
        try {
          commit(latest, true);
        } catch (RuntimeException ex) {
          org.slf4j.LoggerFactory.getLogger(Sink.class).warn("sink {}: committing up to"
              + " checkpoint {} at the end of the attempt failed: {}", name, latest,
              ex.toString());
        }
      }
      for (var e : pending.tailMap(latest, false).entrySet()) {
        if (e.getValue().isEmpty()) {
          continue;
        }
        try {
          committer.abort(e.getKey(), e.getValue());
        } catch (Exception ex) {
          org.slf4j.LoggerFactory.getLogger(Sink.class).warn("sink {}: aborting checkpoint {}"
              + " failed: {}", name, e.getKey(), ex.toString());
        }
      }
      pending.tailMap(latest, false).clear();
    }

    /** After a restore: commit the restored checkpoint's committables again. */
    void recommit(long checkpointId, java.util.List<Object> committables) {
      if (writer instanceof SinkWriters.ToLogTransactions log) {
        log.restored(committables);
      }
      if (committer != null && !committables.isEmpty()) {
        guard(() -> committer.commit(checkpointId, committables));
      }
    }

    @Override
    void processElement(int input, Object value, long ts) throws Exception {
      writer.write(value, timestampOrNull(ts));
    }

    /**
     * The input ended: the writer flushes. A two-phase-commit writer of a checkpointed job
     * pre-commits the rest at the final checkpoint (the subtask waits for it), as Flink's
     * FLIP-147 does, so a failure anywhere before the job ends replays nothing twice. Without
     * checkpoints, it pre-commits and commits now, under the id {@link #FINAL}.
     */
    @Override
    void endOfInput() {
      guard(() -> writer.flush(true));
      if (emitsCommittables) {
        // The rest goes to the committer now, ahead of the end of input; the committer
        // commits it at the final checkpoint (or at once, without checkpoints).
        precommit(FINAL);
        inputEnded = true;
        return;
      }
      if (twoPhase() && !finalCheckpoint) {
        precommit(FINAL);
        commit(FINAL, true);
      }
    }

    /** The checkpoint id of the commit at the end of a bounded input. */
    static final long FINAL = Long.MAX_VALUE;

    @Override
    void close() {
      guard(() -> {
        try {
          writer.close();
        } finally {
          if (committer != null) {
            committer.close();
          }
        }
      });
    }
  }
}
