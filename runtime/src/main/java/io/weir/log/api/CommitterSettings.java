package io.weir.log.api;

import java.time.Duration;

/**
 * How a {@link Log#committerFlow committer} batches offsets: it gathers up to {@code maxBatch}
 * offsets or for {@code maxInterval}, whichever comes first, keeps the highest offset per
 * partition, and sends one commit per group for the batch. Immutable.
 *
 * @param maxBatch the most offsets gathered into one commit (default 1000)
 * @param maxInterval the longest an offset waits to be committed (default 1 s)
 */
public record CommitterSettings(int maxBatch, Duration maxInterval) {
  /** Checks the limits are positive. */
  public CommitterSettings {
    if (maxBatch < 1 || maxInterval.isZero() || maxInterval.isNegative()) {
      throw new IllegalArgumentException("invalid committer settings: " + maxBatch + ", "
          + maxInterval);
    }
  }

  /** The defaults above. */
  public static CommitterSettings defaults() {
    return new CommitterSettings(1000, Duration.ofSeconds(1));
  }

  /** A copy with another batch size. */
  public CommitterSettings withMaxBatch(int n) {
    return new CommitterSettings(n, maxInterval);
  }

  /** A copy with another interval. */
  public CommitterSettings withMaxInterval(Duration d) {
    return new CommitterSettings(maxBatch, d);
  }
}
