package io.weir.stream.windowing;

import io.weir.stream.api.Collector;
import io.weir.stream.api.KeySelector;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.OutputTag;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.TimeDomain;
import io.weir.stream.api.TimerService;
import io.weir.stream.api.state.State;
import io.weir.stream.api.state.StateDescriptor;
import io.weir.stream.internal.KeyGroupRange;
import io.weir.stream.internal.state.InternalTimers;
import io.weir.stream.internal.state.KeyedStateBackend;
import io.weir.stream.internal.state.KeyedTimerService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a keyed process function as one keyed subtask would, with a manual clock: the test
 * feeds elements with timestamps, advances the watermark and the processing time, and reads
 * what was emitted, with timestamps, on the main and side outputs. Like the runtime, an
 * event-time timer registered for a time the watermark has passed fires after the element.
 *
 * @param <K> the key type
 * @param <I> the input type
 * @param <O> the output type
 */
final class OperatorHarness<K, I, O> implements AutoCloseable {
  /** An output with its timestamp (null when none). */
  record Emitted<O>(O value, Long timestamp) {}

  private static final KeyGroupRange ALL = new KeyGroupRange(0, 127);
  private long now;
  final KeyedStateBackend backend = new KeyedStateBackend(ALL, 128, () -> now);
  final InternalTimers timers = new InternalTimers(ALL, 128);
  private final TimerService service =
      new KeyedTimerService(backend, timers, () -> now, timers::currentWatermark);
  private final KeyedProcessFunction<K, I, O> function;
  private final KeySelector<I, K> keys;
  private final Ctx ctx = new Ctx();
  final List<Emitted<O>> output = new ArrayList<>();
  final Map<String, List<Object>> sideOutputs = new HashMap<>();

  OperatorHarness(KeyedProcessFunction<K, I, O> function, KeySelector<I, K> keys)
      throws Exception {
    this.function = function;
    this.keys = keys;
    function.open(new RuntimeContext() {
      @Override
      public String jobName() {
        return "test";
      }

      @Override
      public String operatorName() {
        return "Window under test";
      }

      @Override
      public int subtaskIndex() {
        return 0;
      }

      @Override
      public int parallelism() {
        return 1;
      }

      @Override
      public int maxParallelism() {
        return 128;
      }

      @Override
      public <S extends State> S getState(StateDescriptor<S> descriptor) {
        return backend.getState(descriptor);
      }
    });
  }

  /** Processes an element with a timestamp (null for none). */
  void element(I value, Long timestamp) throws Exception {
    backend.setCurrentKey(keys.getKey(value));
    ctx.timestamp = timestamp;
    ctx.domain = null;
    function.processElement(value, ctx, ctx);
    if (timers.nextEventTime() <= timers.currentWatermark()) {
      timers.advanceWatermark(timers.currentWatermark(), this::fire);
    }
  }

  /** Advances the watermark, firing event-time timers. */
  void watermark(long watermark) throws Exception {
    timers.advanceWatermark(watermark, this::fire);
  }

  /** Sets the wall clock, firing processing-time timers. */
  void processingTime(long time) throws Exception {
    now = time;
    timers.fireProcessingTimers(time, this::fire);
  }

  private void fire(Object key, long time, TimeDomain domain) throws Exception {
    backend.setCurrentKey(key);
    ctx.timestamp = domain == TimeDomain.EVENT_TIME ? time : null;
    ctx.domain = domain;
    function.onTimer(time, ctx, ctx);
  }

  /** The main output's values, in order. */
  List<O> values() {
    return output.stream().map(Emitted::value).toList();
  }

  /** Forgets what was emitted so far. */
  void clearOutput() {
    output.clear();
    sideOutputs.clear();
  }

  /** Whether no keyed state and no timer is left. */
  boolean isClean() {
    return backend.keyGroupsWithState().isEmpty() && timers.size() == 0;
  }

  @Override
  public void close() throws Exception {
    function.close();
  }

  private final class Ctx implements KeyedProcessFunction.OnTimerContext<K>, Collector<O> {
    Long timestamp;
    TimeDomain domain;

    @Override
    @SuppressWarnings("unchecked")
    public K getCurrentKey() {
      return (K) backend.currentKey();
    }

    @Override
    public Long timestamp() {
      return timestamp;
    }

    @Override
    public TimerService timerService() {
      return service;
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
      sideOutputs.computeIfAbsent(tag.id(), t -> new ArrayList<>()).add(value);
    }

    @Override
    public TimeDomain timeDomain() {
      return domain;
    }

    @Override
    public void collect(O element) {
      if (element == null) {
        throw new NullPointerException("null output");
      }
      output.add(new Emitted<>(element, timestamp));
    }
  }
}
