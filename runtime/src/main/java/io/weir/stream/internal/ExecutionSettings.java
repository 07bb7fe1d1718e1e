package io.weir.stream.internal;

import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.time.Duration;
import java.util.Objects;

/**
 * A job's checkpointing and restart settings, as its definition set them.
 *
 * @param checkpoints null when the job takes no checkpoints
 * @param restarts never null
 */
public record ExecutionSettings(CheckpointConfig checkpoints, RestartStrategy restarts) {
  /** Without checkpoints the default is not to restart; with them, as Flink: fixed delay 1 s. */
  public static final RestartStrategy DEFAULT_WITH_CHECKPOINTS =
      RestartStrategy.fixedDelay(Integer.MAX_VALUE, Duration.ofSeconds(1));

  /** No checkpoints, no restarts. */
  public static final ExecutionSettings DEFAULT =
      new ExecutionSettings(null, RestartStrategy.none());

  /** Checks the strategy. */
  public ExecutionSettings {
    Objects.requireNonNull(restarts, "restarts");
  }
}
