package io.weir.stream.api.source;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

/** A reader's link to its subtask and the enumerator. Call from the reader's thread. */
public interface SourceReaderContext {
  /** This reader's subtask index. */
  int subtaskIndex();

  /** The source's parallelism. */
  int currentParallelism();

  /** Asks the enumerator for a split; the answer comes through {@code addSplits}. */
  void sendSplitRequest();

  /**
   * Where the reader's metrics go (such as a snapshot's progress): the node's Micrometer
   * registry ({@code Weir.metrics()}) in a job, Micrometer's global registry otherwise. Never
   * null; the registry is thread-safe.
   */
  default MeterRegistry metrics() {
    return Metrics.globalRegistry;
  }
}
