package io.weir.stream.api.checkpoint;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how a job takes checkpoints: consistent snapshots of every subtask's state and
 * every source's position, which a failed job rolls back to.
 *
 * @param interval how often the job master starts a checkpoint, positive
 * @param mode exactly-once (aligned) or at-least-once, never null
 * @param timeout a checkpoint not complete after this is abandoned
 * @param minPause the least time between the end of one checkpoint and the start of the next
 * @param retained how many completed checkpoints stay restorable (the newest), at least 1: a
 *     savepoint can be made of any of them ({@code Jobs.savepointOf}); recovery uses the latest
 * @param maxConcurrent how many checkpoints may be in progress at once, at least 1
 */
public record CheckpointConfig(Duration interval, CheckpointingMode mode, Duration timeout,
    Duration minPause, int retained, int maxConcurrent) {
  /** Checks the values. */
  public CheckpointConfig {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(minPause, "minPause");
    if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()
        || minPause.isNegative() || retained < 1 || maxConcurrent < 1) {
      throw new IllegalArgumentException("a checkpoint interval and timeout must be positive,"
          + " the minimum pause not negative, at least one checkpoint retained and one allowed"
          + " at once; were " + interval + ", " + timeout + ", " + minPause + ", " + retained
          + ", " + maxConcurrent);
    }
  }

  /**
   * Exactly-once checkpoints every {@code interval}, 10 minutes timeout, no pause, the latest
   * retained (as Flink's default), one at a time.
   */
  public static CheckpointConfig every(Duration interval) {
    return new CheckpointConfig(interval, CheckpointingMode.EXACTLY_ONCE, Duration.ofMinutes(10),
        Duration.ZERO, 1, 1);
  }

  /** A copy with another mode. */
  public CheckpointConfig withMode(CheckpointingMode m) {
    return new CheckpointConfig(interval, m, timeout, minPause, retained, maxConcurrent);
  }

  /** A copy with another timeout. */
  public CheckpointConfig withTimeout(Duration t) {
    return new CheckpointConfig(interval, mode, t, minPause, retained, maxConcurrent);
  }

  /** A copy with another minimum pause. */
  public CheckpointConfig withMinPause(Duration p) {
    return new CheckpointConfig(interval, mode, timeout, p, retained, maxConcurrent);
  }

  /** A copy keeping another number of checkpoints restorable. */
  public CheckpointConfig withRetained(int n) {
    return new CheckpointConfig(interval, mode, timeout, minPause, n, maxConcurrent);
  }

  /** A copy allowing {@code n} checkpoints in progress at once. */
  public CheckpointConfig withMaxConcurrent(int n) {
    return new CheckpointConfig(interval, mode, timeout, minPause, retained, n);
  }
}
