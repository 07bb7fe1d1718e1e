package io.weir.stream.api.eventtime;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a stream gets event time: a {@link TimestampAssigner} for each record and a
 * {@link WatermarkGenerator} per source partition (or per subtask for
 * {@code assignTimestampsAndWatermarks}), optionally with idleness. Immutable; the factories
 * and {@code with...} methods return new strategies.
 *
 * <pre>{@code
 * WatermarkStrategy.<Click>forBoundedOutOfOrderness(Duration.ofSeconds(5))
 *     .withTimestampAssigner((click, ts) -> click.at())
 *     .withIdleness(Duration.ofMinutes(1));
 * }</pre>
 *
 * @param <T> the record type
 */
public final class WatermarkStrategy<T> {
  private final Supplier<WatermarkGenerator<T>> generators;
  private final TimestampAssigner<T> assigner;
  private final Duration idleness;

  private WatermarkStrategy(Supplier<WatermarkGenerator<T>> generators,
      TimestampAssigner<T> assigner, Duration idleness) {
    this.generators = Objects.requireNonNull(generators, "generators");
    this.assigner = Objects.requireNonNull(assigner, "assigner");
    this.idleness = idleness;
  }

  /**
   * Watermarks that trail the highest timestamp seen by {@code maxOutOfOrderness}: a record up to
   * that much older than the newest is still on time. The watermark is the highest timestamp
   * minus the bound minus 1 ms.
   *
   * @param maxOutOfOrderness zero or positive
   * @param <T> the record type
   * @return the strategy, with the records' own timestamps
   */
  public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration maxOutOfOrderness) {
    Objects.requireNonNull(maxOutOfOrderness, "maxOutOfOrderness");
    if (maxOutOfOrderness.isNegative()) {
      throw new IllegalArgumentException("maxOutOfOrderness must not be negative, was "
          + maxOutOfOrderness);
    }
    long bound = maxOutOfOrderness.toMillis();
    return forGenerator(() -> new BoundedOutOfOrderness<>(bound));
  }

  /**
   * Watermarks for timestamps that never go down (per partition): the highest seen minus 1 ms.
   *
   * @param <T> the record type
   * @return the strategy, with the records' own timestamps
   */
  public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
    return forBoundedOutOfOrderness(Duration.ZERO);
  }

  /**
   * Watermarks from a custom generator, one created per partition or subtask.
   *
   * @param generators creates a fresh generator each call, never null
   * @param <T> the record type
   * @return the strategy, with the records' own timestamps
   */
  public static <T> WatermarkStrategy<T> forGenerator(
      Supplier<WatermarkGenerator<T>> generators) {
    return new WatermarkStrategy<>(generators, (e, ts) -> ts, null);
  }

  /**
   * Timestamps but no watermarks (event time only ends with a bounded input).
   *
   * @param <T> the record type
   * @return the strategy
   */
  public static <T> WatermarkStrategy<T> noWatermarks() {
    return forGenerator(() -> new WatermarkGenerator<>() {
      @Override
      public void onEvent(T event, long timestamp, WatermarkOutput output) {}

      @Override
      public void onPeriodicEmit(WatermarkOutput output) {}
    });
  }

  /**
   * This strategy with another timestamp assigner.
   *
   * @param timestampAssigner never null
   * @return a new strategy
   */
  public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> timestampAssigner) {
    return new WatermarkStrategy<>(generators, timestampAssigner, idleness);
  }

  /**
   * This strategy with idleness: a partition (or subtask) without records for {@code timeout}
   * of processing time is marked idle and stops holding the watermark back, until its next
   * record.
   *
   * @param timeout positive
   * @return a new strategy
   */
  public WatermarkStrategy<T> withIdleness(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("an idleness timeout must be positive, was " + timeout);
    }
    return new WatermarkStrategy<>(generators, assigner, timeout);
  }

  /** A new generator, for one partition or subtask. */
  public WatermarkGenerator<T> createWatermarkGenerator() {
    return Objects.requireNonNull(generators.get(), "the watermark generator supplier returned"
        + " null");
  }

  /** The timestamp assigner. */
  public TimestampAssigner<T> timestampAssigner() {
    return assigner;
  }

  /** The idleness timeout; null when partitions never go idle. */
  public Duration idleness() {
    return idleness;
  }

  /** The bounded out-of-orderness generator. */
  private static final class BoundedOutOfOrderness<T> implements WatermarkGenerator<T> {
    private final long bound;
    private long max;

    BoundedOutOfOrderness(long bound) {
      this.bound = bound;
      this.max = Long.MIN_VALUE + bound + 1;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
      max = Math.max(max, timestamp);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
      output.emitWatermark(max - bound - 1);
    }
  }
}
