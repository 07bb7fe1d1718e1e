package io.weir.stream.internal.windowing;

import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the late records an operator drops, in a Micrometer counter
 * ({@code weir.window.late.records.dropped} or {@code weir.join.late.records.dropped}, tagged by
 * job, operator and subtask) and in the log: a warning at the first drop, then at most one every {@link #REPORT_INTERVAL_MS} of
 * processing time while drops continue, and a last one when the operator closes. Used by the
 * subtask's thread only.
 */
public final class LateRecordCounter {
  /** The least processing time between two warnings. */
  static final long REPORT_INTERVAL_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(LateRecordCounter.class);
  private final String operator;
  private final String what;
  private final String hint;
  private long dropped;
  private long reported;
  private long lastReport = Long.MIN_VALUE;
  private Counter meter;

  /**
   * A counter for one operator subtask.
   *
   * @param operator names the operator in the warnings
   * @param what what is dropped, as "records late for every window"
   * @param hint how to keep them, a sentence
   */
  LateRecordCounter(String operator, String what, String hint) {
    this.operator = operator;
    this.what = what;
    this.hint = hint;
  }

  /** Also counts into {@code meter}, the subtask's Micrometer counter. */
  LateRecordCounter withMeter(Counter meter) {
    this.meter = meter;
    return this;
  }

  /** Counts one dropped record, and warns when due. */
  void drop(long now, long watermark) {
    dropped++;
    if (meter != null) {
      meter.increment();
    }
    if (lastReport == Long.MIN_VALUE || now - lastReport >= REPORT_INTERVAL_MS) {
      report(watermark);
      lastReport = now;
    }
  }

  /** Warns about drops not yet reported; for the operator's close. */
  void close() {
    if (dropped > reported) {
      report(Long.MIN_VALUE);
    }
  }

  private void report(long watermark) {
    reported = dropped;
    LOG.warn("operator '{}' has dropped {} {} so far{}; {}", operator, dropped, what,
        watermark == Long.MIN_VALUE ? "" : " (watermark " + watermark + ")", hint);
  }

  /** How many records were dropped. */
  public long dropped() {
    return dropped;
  }
}
