package io.weir.stream.api.source;

/** A reader's link to its subtask and the enumerator. Call from the reader's thread. */
public interface SourceReaderContext {
  /** This reader's subtask index. */
  int subtaskIndex();

  /** The source's parallelism. */
  int currentParallelism();

  /** Asks the enumerator for a split; the answer comes through {@code addSplits}. */
  void sendSplitRequest();
}
