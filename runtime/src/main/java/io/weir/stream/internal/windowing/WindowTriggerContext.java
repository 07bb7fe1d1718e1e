package io.weir.stream.internal.windowing;

import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.TimeDomain;
import io.weir.stream.api.TimerService;
import io.weir.stream.api.state.MapState;
import io.weir.stream.api.windowing.Trigger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The context a trigger sees, bound to one window of the current key before each call. Window
 * state lives in one keyed map from window to the trigger's named values (a small map, copied on
 * write); timers go through {@link WindowTimers}. The window's cleanup timer is the operator's:
 * a trigger deleting a timer at that time does not delete it.
 */
final class WindowTriggerContext implements Trigger.OnMergeContext {
  private final MapState<Object, Map<String, Object>> state;
  private final WindowTimers timers;
  private Object window;
  private TimerService service;
  private TimeDomain cleanupDomain;
  private long cleanupTime;
  private List<?> merged = List.of();

  WindowTriggerContext(RuntimeContext context, WindowTimers timers) {
    this.state = WindowTimers.mapState(context, "window-trigger-state", Object.class, Map.class);
    this.timers = timers;
  }

  /** Binds the context to a window for the calls that follow. */
  WindowTriggerContext bind(Object window, TimerService service, TimeDomain cleanupDomain,
      long cleanupTime) {
    this.window = window;
    this.service = service;
    this.cleanupDomain = cleanupDomain;
    this.cleanupTime = cleanupTime;
    this.merged = List.of();
    return this;
  }

  /** Binds the context to a merge result and the windows merged into it. */
  WindowTriggerContext bindMerge(Object window, TimerService service, TimeDomain cleanupDomain,
      long cleanupTime, List<?> mergedWindows) {
    bind(window, service, cleanupDomain, cleanupTime);
    this.merged = mergedWindows;
    return this;
  }

  /** Removes every value the trigger stored for {@code w}. */
  void clearState(Object w) {
    state.remove(w);
  }

  @Override
  public long currentProcessingTime() {
    return service.currentProcessingTime();
  }

  @Override
  public long currentWatermark() {
    return service.currentWatermark();
  }

  @Override
  public void registerEventTimeTimer(long time) {
    timers.register(service, TimeDomain.EVENT_TIME, window, time);
  }

  @Override
  public void registerProcessingTimeTimer(long time) {
    timers.register(service, TimeDomain.PROCESSING_TIME, window, time);
  }

  @Override
  public void deleteEventTimeTimer(long time) {
    delete(TimeDomain.EVENT_TIME, time);
  }

  @Override
  public void deleteProcessingTimeTimer(long time) {
    delete(TimeDomain.PROCESSING_TIME, time);
  }

  private void delete(TimeDomain domain, long time) {
    if (domain != cleanupDomain || time != cleanupTime) {
      timers.delete(service, domain, window, time);
    }
  }

  @Override
  public <V> V getWindowState(String name, Class<V> type) {
    return valueOf(window, name, type);
  }

  @Override
  public void putWindowState(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Map<String, Object> values = state.get(window);
    Map<String, Object> copy = values == null ? new HashMap<>(4) : new HashMap<>(values);
    if (value == null) {
      copy.remove(name);
    } else {
      copy.put(name, value);
    }
    if (copy.isEmpty()) {
      state.remove(window);
    } else {
      state.put(window, copy);
    }
  }

  @Override
  public <V> List<V> getMergedWindowStates(String name, Class<V> type) {
    List<V> values = new ArrayList<>(merged.size());
    for (Object m : merged) {
      V v = valueOf(m, name, type);
      if (v != null) {
        values.add(v);
      }
    }
    return values;
  }

  private <V> V valueOf(Object w, String name, Class<V> type) {
    Objects.requireNonNull(name, "name");
    Map<String, Object> values = state.get(w);
    return values == null ? null : type.cast(values.get(name));
  }
}
