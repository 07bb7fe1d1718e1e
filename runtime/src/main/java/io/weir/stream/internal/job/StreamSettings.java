package io.weir.stream.internal.job;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The stream runtime's settings, parsed once from {@code weir.stream}.
 *
 * @param batchSize the most records in one batch crossing an exchange
 * @param exchangeBuffer how many batches an exchange channel buffers before backpressure
 * @param askTimeout how long a request to a job master or subtask may take
 * @param deployTimeout how long a job's subtasks may take to deploy or to stop
 * @param stateCleanupInterval how often expired keyed state is removed incrementally
 * @param resumeJobs whether the node deploys again, at start, the jobs that were running
 * @param remoteExchangesOnly whether exchanges inside one node use StreamRefs too (tests)
 * @param dispatcher the dispatcher subtasks run user code on
 * @param autoWatermarkInterval how often watermark generators emit periodically
 */
public record StreamSettings(int batchSize, int exchangeBuffer, Duration askTimeout,
    Duration deployTimeout, Duration stateCleanupInterval, boolean resumeJobs,
    boolean remoteExchangesOnly, String dispatcher, Duration autoWatermarkInterval) {

  /** Reads {@code weir.stream} of the system's configuration. */
  public static StreamSettings fromConfig(Config root) {
    Config c = root.getConfig("weir.stream");
    StreamSettings s = new StreamSettings(c.getInt("batch-size"), c.getInt("exchange-buffer"),
        c.getDuration("ask-timeout"), c.getDuration("deploy-timeout"),
        c.getDuration("state-cleanup-interval"), c.getBoolean("resume-jobs"),
        c.getBoolean("remote-exchanges-only"), "weir.stream.dispatcher",
        c.getDuration("auto-watermark-interval"));
    if (s.batchSize < 1 || s.exchangeBuffer < 1) {
      throw new IllegalArgumentException("weir.stream.batch-size and exchange-buffer must be at"
          + " least 1, were " + s.batchSize + " and " + s.exchangeBuffer);
    }
    return s;
  }
}
