package io.weir.stream.internal.windowing;

import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.TimeDomain;
import io.weir.stream.api.TimerService;
import io.weir.stream.api.state.MapState;
import io.weir.stream.api.state.MapStateDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The timers of a key's windows. The runtime's timers are per key and time only, so this keeps,
 * in keyed state, which windows own each timer: a timer is registered with the runtime when its
 * first window registers it and deleted when its last window deletes it, and a firing is
 * dispatched to every window that owns it.
 */
final class WindowTimers {
  private final MapState<Long, List<Object>> eventTime;
  private final MapState<Long, List<Object>> processingTime;

  WindowTimers(RuntimeContext context) {
    eventTime = mapState(context, "window-event-timers", Long.class, List.class);
    processingTime = mapState(context, "window-processing-timers", Long.class, List.class);
  }

  /** A map state whose value type is generic (a list or map), typed by its raw class. */
  @SuppressWarnings("unchecked") // The descriptor's classes are the raw classes of K and V.
  static <K, V> MapState<K, V> mapState(RuntimeContext context, String name, Class<?> keyType,
      Class<?> valueType) {
    return context.getState((MapStateDescriptor<K, V>) (MapStateDescriptor<?, ?>)
        MapStateDescriptor.of(name, keyType, valueType));
  }

  private MapState<Long, List<Object>> owners(TimeDomain domain) {
    return domain == TimeDomain.EVENT_TIME ? eventTime : processingTime;
  }

  /** Registers a timer of {@code window}; nothing if it already has it. */
  void register(TimerService service, TimeDomain domain, Object window, long time) {
    MapState<Long, List<Object>> owners = owners(domain);
    List<Object> windows = owners.get(time);
    if (windows == null) {
      windows = new ArrayList<>(2);
      if (domain == TimeDomain.EVENT_TIME) {
        service.registerEventTimeTimer(time);
      } else {
        service.registerProcessingTimeTimer(time);
      }
    } else if (windows.contains(window)) {
      return;
    }
    windows.add(window);
    owners.put(time, windows);
  }

  /** Deletes a timer of {@code window}; the runtime's timer goes with its last owner. */
  void delete(TimerService service, TimeDomain domain, Object window, long time) {
    MapState<Long, List<Object>> owners = owners(domain);
    List<Object> windows = owners.get(time);
    if (windows == null || !windows.remove(window)) {
      return;
    }
    if (!windows.isEmpty()) {
      owners.put(time, windows);
      return;
    }
    owners.remove(time);
    if (domain == TimeDomain.EVENT_TIME) {
      service.deleteEventTimeTimer(time);
    } else {
      service.deleteProcessingTimeTimer(time);
    }
  }

  /** The windows owning a timer that fired, which no longer exists; never null. */
  List<Object> take(TimeDomain domain, long time) {
    MapState<Long, List<Object>> owners = owners(domain);
    List<Object> windows = owners.get(time);
    if (windows == null) {
      return List.of();
    }
    owners.remove(time);
    return windows;
  }
}
