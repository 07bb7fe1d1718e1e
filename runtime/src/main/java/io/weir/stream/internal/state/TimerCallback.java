package io.weir.stream.internal.state;

import io.weir.stream.api.TimeDomain;

/** Called by {@link InternalTimers} for each timer that fires. */
@FunctionalInterface
public interface TimerCallback {
  /**
   * A timer fired; it was removed before this call, so it may be registered again.
   *
   * @param key the timer's key, never null
   * @param time the timer's time, epoch milliseconds
   * @param domain the clock it was registered on, never null
   * @throws Exception any failure, which stops the firing and is passed to the caller
   */
  void onTimer(Object key, long time, TimeDomain domain) throws Exception;
}
