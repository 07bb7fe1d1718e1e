package io.weir.stream.internal.windowing;

import io.weir.stream.api.Collector;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.TimeDomain;
import io.weir.stream.api.TimerService;
import io.weir.stream.api.state.MapState;
import io.weir.stream.api.state.MapStateDescriptor;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import io.weir.stream.api.windowing.MergingWindowAssigner;
import io.weir.stream.api.windowing.Trigger;
import io.weir.stream.api.windowing.TriggerResult;
import io.weir.stream.api.windowing.Window;
import io.weir.stream.api.windowing.WindowAssigner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A window operator built as a keyed process function: per key, a map state from window to its
 * contents, the list of a merging assigner's windows, trigger state and window-owned timers (see
 * {@link WindowTimers}). Elements are assigned to windows, added and shown to the trigger;
 * timers are shown to the trigger of every window that owns them, and a window is cleaned up at
 * its cleanup time (event time: {@code maxTimestamp + allowedLateness}; processing time:
 * {@code maxTimestamp}; never for a window that never ends).
 *
 * <p>An element late for every window it belongs to goes to the late side output if there is
 * one; otherwise it is dropped and counted ({@link #droppedLateRecords()}), with a warning in
 * the log.
 *
 * @param <K> the key type
 * @param <I> the elements
 * @param <A> the contents of one window
 * @param <O> the results
 * @param <W> the window type
 */
public final class WindowOperator<K, I, A, O, W extends Window>
    implements KeyedProcessFunction<K, I, O> {
  private final WindowAssigner<? super I, W> assigner;
  private final Trigger<? super I, ? super W> trigger;
  private final long allowedLateness;
  private final OutputTag<I> lateTag;
  private final WindowContents<I, A, O, K, W> function;
  private final MergingWindowAssigner<? super I, W> merging;
  private final TimeDomain domain;
  private MapState<Object, Object> contents;
  private ValueState<Object> sessions;
  private WindowTimers timers;
  private WindowTriggerContext triggerContext;
  private FiringContext<W> firing;
  private LateRecordCounter late = new LateRecordCounter("window", "late records", "");
  private String operator = "window";

  /**
   * A window operator.
   *
   * @param assigner never null
   * @param trigger never null; able to merge when the assigner merges
   * @param allowedLateness milliseconds, at least 0
   * @param lateTag the late side output; null to drop late elements
   * @param function what windows keep and emit, never null
   */
  @SuppressWarnings("unchecked")
  public WindowOperator(WindowAssigner<? super I, W> assigner, Trigger<? super I, ? super W> trigger,
      long allowedLateness, OutputTag<I> lateTag, WindowContents<I, A, O, K, W> function) {
    this.assigner = Objects.requireNonNull(assigner, "assigner");
    this.trigger = Objects.requireNonNull(trigger, "trigger");
    this.function = Objects.requireNonNull(function, "function");
    if (allowedLateness < 0) {
      throw new IllegalArgumentException("allowed lateness must not be negative");
    }
    this.allowedLateness = allowedLateness;
    this.lateTag = lateTag;
    this.merging = assigner instanceof MergingWindowAssigner<?, ?> m
        ? (MergingWindowAssigner<? super I, W>) m : null;
    this.domain = assigner.isEventTime() ? TimeDomain.EVENT_TIME : TimeDomain.PROCESSING_TIME;
  }

  @Override
  public void open(RuntimeContext context) throws Exception {
    operator = context.operatorName();
    contents = context.getState(MapStateDescriptor.of("window-contents", Object.class,
        Object.class));
    sessions = context.getState(ValueStateDescriptor.of("window-sessions", Object.class));
    timers = new WindowTimers(context);
    triggerContext = new WindowTriggerContext(context, timers);
    firing = new FiringContext<>();
    late = new LateRecordCounter(operator, "records late for every window",
        "set an allowed lateness to keep them, or a late-data side output to see them")
        .withMeter(context.counter("weir.window.late.records.dropped",
            "records a window operator dropped for being late for every window"));
    function.open(context);
  }

  @Override
  public void close() throws Exception {
    late.close();
    function.close();
  }

  /** How many late elements this subtask dropped (those sent to a side output do not count). */
  public long droppedLateRecords() {
    return late.dropped();
  }

  @Override
  public void processElement(I value, Context<K> ctx, Collector<O> out) throws Exception {
    TimerService service = ctx.timerService();
    long time = timeOf(ctx);
    Collection<W> windows = assigner.assignWindows(value, time, service::currentProcessingTime);
    boolean added = false;
    for (W assigned : windows) {
      W window = merging == null ? assigned : mergeWith(assigned, service);
      if (window == null || isLate(window, service)) {
        continue;
      }
      added = true;
      @SuppressWarnings("unchecked")
      A acc = (A) contents.get(window);
      A updated = function.add(acc, value);
      if (updated != acc) { // contents changed in place are stored already
        contents.put(window, updated);
      }
      TriggerResult result = trigger.onElement(value, time, window, bind(window, service));
      act(window, result, ctx, out);
      if (acc == null) { // a window with contents has its cleanup timer (clearAll drops both)
        registerCleanup(window, service);
      }
    }
    if (!added && !windows.isEmpty()) {
      if (lateTag != null) {
        ctx.output(lateTag, value);
      } else {
        late.drop(service.currentProcessingTime(), service.currentWatermark());
      }
    }
  }

  private long timeOf(Context<K> ctx) {
    if (domain == TimeDomain.PROCESSING_TIME) {
      return ctx.timerService().currentProcessingTime();
    }
    Long ts = ctx.timestamp();
    if (ts == null) {
      throw new IllegalStateException("operator '" + operator + "' windows by event time with "
          + assigner + ", but a record of key " + ctx.getCurrentKey() + " has no timestamp: "
          + "assign timestamps and watermarks before the window (a source that emits them, or "
          + "a watermark strategy), or use a processing-time window assigner");
    }
    return ts;
  }

  @Override
  @SuppressWarnings("unchecked") // Timers are owned by windows of this operator.
  public void onTimer(long time, OnTimerContext<K> ctx, Collector<O> out) throws Exception {
    TimeDomain fired = ctx.timeDomain();
    TimerService service = ctx.timerService();
    for (Object owner : timers.take(fired, time)) {
      W window = (W) owner;
      if (merging == null || windowList().contains(window)) {
        Trigger.TriggerContext tc = bind(window, service);
        TriggerResult result = fired == TimeDomain.EVENT_TIME
            ? trigger.onEventTime(time, window, tc) : trigger.onProcessingTime(time, window, tc);
        act(window, result, ctx, out);
      }
      if (fired == domain && time == cleanupTime(window)) {
        clearAll(window, service);
      }
    }
  }

  private void act(W window, TriggerResult result, Context<K> ctx, Collector<O> out)
      throws Exception {
    if (result.isFire()) {
      @SuppressWarnings("unchecked")
      A acc = (A) contents.get(window);
      if (acc != null) {
        function.emit(ctx.getCurrentKey(), acc, firing.bind(window, ctx), out);
      }
    }
    if (result.isPurge()) {
      contents.remove(window);
    }
  }

  private boolean isLate(W window, TimerService service) {
    return domain == TimeDomain.EVENT_TIME && cleanupTime(window) <= service.currentWatermark();
  }

  private long cleanupTime(W window) {
    if (domain == TimeDomain.PROCESSING_TIME) {
      return window.maxTimestamp();
    }
    long t = window.maxTimestamp() + allowedLateness;
    return t < window.maxTimestamp() ? Long.MAX_VALUE : t;
  }

  private void registerCleanup(W window, TimerService service) {
    long t = cleanupTime(window);
    if (t != Long.MAX_VALUE) {
      timers.register(service, domain, window, t);
    }
  }

  private WindowTriggerContext bind(W window, TimerService service) {
    return triggerContext.bind(window, service, domain, cleanupTime(window));
  }

  private void clearAll(W window, TimerService service) throws Exception {
    contents.remove(window);
    trigger.clear(window, bind(window, service));
    triggerContext.clearState(window);
    timers.delete(service, domain, window, cleanupTime(window));
    if (merging != null) {
      List<W> list = windowList();
      if (list.remove(window)) {
        sessions.update(list.isEmpty() ? null : list);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private List<W> windowList() {
    Object list = sessions.value();
    return list == null ? new ArrayList<>() : new ArrayList<>((List<W>) list);
  }

  /**
   * Merges a new window with the key's windows; returns the window the element goes to, or null
   * (changing nothing) when that window is late.
   */
  private W mergeWith(W added, TimerService service) throws Exception {
    List<W> current = windowList();
    List<W> all = new ArrayList<>(current);
    all.add(added);
    Map<W, List<W>> merges = new LinkedHashMap<>();
    merging.mergeWindows(all, (merged, result) -> merges.put(result, List.copyOf(merged)));
    W actual = added;
    for (Map.Entry<W, List<W>> m : merges.entrySet()) {
      if (m.getValue().contains(added)) {
        actual = m.getKey();
      }
    }
    if (isLate(actual, service)) {
      return null;
    }
    for (Map.Entry<W, List<W>> m : merges.entrySet()) {
      W result = m.getKey();
      List<W> absorbed = m.getValue().stream()
          .filter(w -> current.contains(w) && !w.equals(result)).distinct().toList();
      if (!absorbed.isEmpty()) {
        absorb(result, absorbed, service);
        current.removeAll(absorbed);
      }
      if (!current.contains(result)) {
        current.add(result);
      }
    }
    if (!current.contains(actual)) {
      current.add(actual);
    }
    sessions.update(current);
    return actual;
  }

  /** Moves the contents, trigger state and timers of merged windows to their merge result. */
  private void absorb(W result, List<W> absorbed, TimerService service) throws Exception {
    trigger.onMerge(result, triggerContext.bindMerge(result, service, domain,
        cleanupTime(result), absorbed));
    @SuppressWarnings("unchecked")
    A acc = (A) contents.get(result);
    for (W w : absorbed) {
      @SuppressWarnings("unchecked")
      A other = (A) contents.get(w);
      if (other != null) {
        acc = acc == null ? other : function.merge(acc, other);
        contents.remove(w);
      }
      trigger.clear(w, bind(w, service));
      triggerContext.clearState(w);
      timers.delete(service, domain, w, cleanupTime(w));
    }
    if (acc != null) {
      contents.put(result, acc);
    }
    registerCleanup(result, service);
  }
}
