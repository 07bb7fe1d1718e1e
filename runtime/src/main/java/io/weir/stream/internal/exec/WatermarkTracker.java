package io.weir.stream.internal.exec;

import io.weir.stream.api.eventtime.TimestampAssigner;
import io.weir.stream.api.eventtime.WatermarkGenerator;
import io.weir.stream.api.eventtime.WatermarkOutput;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Event time for one subtask's input: a watermark generator per split (a log partition, a
 * reader, or the whole stream), each split's idleness, and their combination — the minimum over
 * the splits that are not idle, never going back. Single-threaded.
 */
final class WatermarkTracker {
  /** Receives what changed: a higher watermark, or the subtask going idle or active. */
  interface Changes {
    void watermark(long watermark);

    void idle(boolean idle);
  }

  private final WatermarkStrategy<Object> strategy;
  private final TimestampAssigner<Object> assigner;
  private final long idleMillis;
  private final LongSupplier clock;
  private final Map<String, Split> splits = new LinkedHashMap<>();
  private long emitted = Long.MIN_VALUE;
  private String lastName;
  private Split lastSplit;
  private boolean idle;

  @SuppressWarnings("unchecked")
  WatermarkTracker(WatermarkStrategy<?> strategy, LongSupplier clock) {
    this.strategy = (WatermarkStrategy<Object>) strategy;
    this.assigner = this.strategy.timestampAssigner();
    this.idleMillis = strategy.idleness() == null ? Long.MAX_VALUE
        : strategy.idleness().toMillis();
    this.clock = clock;
  }

  /** Tracks a split from now on: until it has records or goes idle, it holds event time back. */
  void addSplit(String id) {
    splits.computeIfAbsent(id, k -> new Split(strategy.createWatermarkGenerator(),
        clock.getAsLong()));
  }

  /**
   * Assigns a record its timestamp and shows it to its split's generator.
   *
   * @return the record's event time
   */
  long onRecord(String split, Object value, long recordTimestamp) {
    Split s;
    if (split == lastName || split.equals(lastName)) {
      s = lastSplit; // records of one split come in runs: no lookup per record
    } else {
      addSplit(split);
      s = splits.get(split);
      lastName = split;
      lastSplit = s;
    }
    long ts = assigner.extractTimestamp(value, recordTimestamp);
    s.sawRecord = true; // its time is taken at the next periodic call, not per record
    s.idle = false;
    s.generator.onEvent(value, ts, s);
    return ts;
  }

  /** The periodic call: every generator emits, and splits without records go idle. */
  void onPeriodic() {
    long now = clock.getAsLong();
    for (Split s : splits.values()) {
      if (s.sawRecord) {
        s.lastRecord = now;
        s.sawRecord = false;
      }
      s.generator.onPeriodicEmit(s);
      if (idleMillis != Long.MAX_VALUE && now - s.lastRecord >= idleMillis) {
        s.idle = true;
      }
    }
  }

  /** Reports what changed since the last call. */
  void flush(Changes changes) {
    boolean allIdle = !splits.isEmpty();
    long min = Long.MAX_VALUE;
    for (Split s : splits.values()) {
      if (!s.idle) {
        allIdle = false;
        min = Math.min(min, s.watermark);
      }
    }
    if (allIdle != idle) {
      idle = allIdle;
      changes.idle(allIdle);
    }
    if (!allIdle && !splits.isEmpty() && min > emitted) {
      emitted = min;
      changes.watermark(min);
    }
  }

  /** One split's generator, watermark and idleness; the generator's output. */
  private static final class Split implements WatermarkOutput {
    final WatermarkGenerator<Object> generator;
    long watermark = Long.MIN_VALUE;
    long lastRecord;
    boolean sawRecord;
    boolean idle;

    Split(WatermarkGenerator<Object> generator, long now) {
      this.generator = generator;
      this.lastRecord = now;
    }

    @Override
    public void emitWatermark(long wm) {
      if (wm > watermark) {
        watermark = wm;
      }
      idle = false;
    }

    @Override
    public void markIdle() {
      idle = true;
    }

    @Override
    public void markActive() {
      idle = false;
    }
  }
}
