package io.weir.stream.api.checkpoint;

import java.time.Duration;
import java.util.Objects;

/**
 * What a job does when a subtask fails: restart from its last completed checkpoint (or from the
 * start, without one) after a delay, or fail for good. The reason of every failure shows in the
 * job's status.
 */
public sealed interface RestartStrategy {
  /**
   * The delay before restart number {@code restart} (from 1), or null to fail the job.
   *
   * @param restart how many restarts this one makes, from 1
   * @param recentFailures the failures within the last {@code FailureRate.interval}, this one
   *     included (only failure-rate counts them)
   * @return the delay, or null for no more restarts
   */
  Duration delayBefore(int restart, int recentFailures);

  /** Never restart: the first failure fails the job. */
  static RestartStrategy none() {
    return new None();
  }

  /**
   * Restart up to {@code attempts} times, each after {@code delay}.
   *
   * @param attempts at least 0
   * @param delay not negative
   * @return the strategy
   */
  static RestartStrategy fixedDelay(int attempts, Duration delay) {
    return new FixedDelay(attempts, delay);
  }

  /**
   * Restart without limit, the delay growing by {@code multiplier} from {@code initial} up to
   * {@code max}.
   *
   * @param initial the first delay
   * @param max the largest delay
   * @param multiplier at least 1
   * @return the strategy
   */
  static RestartStrategy exponentialBackoff(Duration initial, Duration max, double multiplier) {
    return new ExponentialBackoff(initial, max, multiplier);
  }

  /**
   * Restart after {@code delay} while fewer than {@code maxFailures} failures happened within
   * {@code interval}.
   *
   * @param maxFailures at least 1
   * @param interval the window failures are counted in
   * @param delay not negative
   * @return the strategy
   */
  static RestartStrategy failureRate(int maxFailures, Duration interval, Duration delay) {
    return new FailureRate(maxFailures, interval, delay);
  }

  /** Never restart. */
  record None() implements RestartStrategy {
    @Override
    public Duration delayBefore(int restart, int recentFailures) {
      return null;
    }
  }

  /**
   * A fixed number of restarts with a fixed delay.
   *
   * @param attempts how many restarts
   * @param delay before each
   */
  record FixedDelay(int attempts, Duration delay) implements RestartStrategy {
    /** Checks the values. */
    public FixedDelay {
      Objects.requireNonNull(delay, "delay");
      if (attempts < 0 || delay.isNegative()) {
        throw new IllegalArgumentException("fixed-delay restarts need attempts >= 0 and a"
            + " delay >= 0, were " + attempts + " and " + delay);
      }
    }

    @Override
    public Duration delayBefore(int restart, int recentFailures) {
      return restart <= attempts ? delay : null;
    }
  }

  /**
   * Unlimited restarts with a growing delay.
   *
   * @param initial the first delay
   * @param max the largest
   * @param multiplier the growth per restart
   */
  record ExponentialBackoff(Duration initial, Duration max, double multiplier)
      implements RestartStrategy {
    /** Checks the values. */
    public ExponentialBackoff {
      Objects.requireNonNull(initial, "initial");
      Objects.requireNonNull(max, "max");
      if (initial.isNegative() || max.compareTo(initial) < 0 || multiplier < 1) {
        throw new IllegalArgumentException("exponential backoff needs 0 <= initial <= max and a"
            + " multiplier >= 1, were " + initial + ", " + max + ", " + multiplier);
      }
    }

    @Override
    public Duration delayBefore(int restart, int recentFailures) {
      double millis = initial.toMillis() * Math.pow(multiplier, restart - 1);
      return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
  }

  /**
   * Restarts while failures stay below a rate.
   *
   * @param maxFailures the failures allowed within {@code interval}
   * @param interval the window
   * @param delay before each restart
   */
  record FailureRate(int maxFailures, Duration interval, Duration delay)
      implements RestartStrategy {
    /** Checks the values. */
    public FailureRate {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(delay, "delay");
      if (maxFailures < 1 || interval.isNegative() || interval.isZero() || delay.isNegative()) {
        throw new IllegalArgumentException("failure-rate restarts need maxFailures >= 1, a"
            + " positive interval and a delay >= 0");
      }
    }

    @Override
    public Duration delayBefore(int restart, int recentFailures) {
      return recentFailures <= maxFailures ? delay : null;
    }
  }
}
