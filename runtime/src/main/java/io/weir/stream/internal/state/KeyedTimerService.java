package io.weir.stream.internal.state;

import io.weir.stream.api.TimerService;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The {@link TimerService} a keyed function sees: registers and deletes timers of its backend's
 * current key in the subtask's {@link InternalTimers}. An event-time timer at or before the
 * current watermark fires on the next watermark the subtask processes, not during the call that
 * registers it. Use from the subtask's thread only.
 */
public final class KeyedTimerService implements TimerService {
  private final KeyedStateBackend backend;
  private final InternalTimers timers;
  private final LongSupplier processingClock;
  private final LongSupplier watermark;

  /**
   * A view of {@code timers} bound to the current key of {@code backend}.
   *
   * @param backend gives the current key, never null
   * @param timers where timers are kept, never null
   * @param processingClock the wall clock in epoch milliseconds, never null
   * @param watermark the operator's current watermark, never null
   */
  public KeyedTimerService(KeyedStateBackend backend, InternalTimers timers,
      LongSupplier processingClock, LongSupplier watermark) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.processingClock = Objects.requireNonNull(processingClock, "processingClock");
    this.watermark = Objects.requireNonNull(watermark, "watermark");
  }

  @Override
  public long currentProcessingTime() {
    return processingClock.getAsLong();
  }

  @Override
  public long currentWatermark() {
    return watermark.getAsLong();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when there is no current key
   */
  @Override
  public void registerEventTimeTimer(long time) {
    timers.registerEventTimeTimer(key(), time);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when there is no current key
   */
  @Override
  public void registerProcessingTimeTimer(long time) {
    timers.registerProcessingTimeTimer(key(), time);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when there is no current key
   */
  @Override
  public void deleteEventTimeTimer(long time) {
    timers.deleteEventTimeTimer(key(), time);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when there is no current key
   */
  @Override
  public void deleteProcessingTimeTimer(long time) {
    timers.deleteProcessingTimeTimer(key(), time);
  }

  private Object key() {
    Object key = backend.currentKey();
    if (key == null) {
      throw new IllegalStateException("timers can only be used while an element or timer of a "
          + "keyed stream is processed: there is no current key");
    }
    return key;
  }
}
