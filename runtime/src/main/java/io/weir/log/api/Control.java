package io.weir.log.api;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Controls a running {@link Log#committableSource committable source}. Thread-safe.
 */
public interface Control {
  /**
   * Stops reading every partition, leaves the consumer group (so its partitions move to the
   * other members at once, without waiting for the session timeout) and completes the source.
   * Idempotent. Offsets of records emitted before and committed afterwards are refused (the
   * member left); those records are delivered again to the partition's next owner.
   *
   * @return completes when the group has been left, never null
   */
  CompletionStage<Done> stop();

  /** Completes when the source has stopped, whether by {@link #stop} or by its stream ending. */
  CompletionStage<Done> whenStopped();
}
