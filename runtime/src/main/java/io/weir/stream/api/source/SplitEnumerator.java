package io.weir.stream.api.source;

import java.util.List;

/**
 * Discovers splits and assigns them to readers; one per source, on the job master. Its methods
 * are called one at a time from a single thread and must not block: slow discovery (listing
 * files, asking a broker) goes through {@link SplitEnumeratorContext#callAsync}, whose result
 * handler is called on that same thread.
 *
 * @param <S> the split type
 * @param <C> the enumerator's checkpoint type
 */
public interface SplitEnumerator<S extends SourceSplit, C> extends AutoCloseable {
  /** Starts discovery, for example a periodic {@code callAsync}. Must not block. */
  void start();

  /**
   * A reader asks for a split (pull-based sources). Reply through
   * {@link SplitEnumeratorContext#assignSplits}, now or later; must not block.
   *
   * @param subtaskId the asking reader's subtask
   */
  void handleSplitRequest(int subtaskId);

  /**
   * Splits handed back because their reader failed after the last completed checkpoint; assign
   * them again.
   *
   * @param splits the splits, as of that checkpoint, never null
   * @param subtaskId the reader that held them
   */
  void addSplitsBack(List<S> splits, int subtaskId);

  /**
   * A reader has registered and can receive splits (push-based sources assign here).
   *
   * @param subtaskId the reader's subtask
   */
  void addReader(int subtaskId);

  /**
   * Snapshots what the enumerator knows (discovered and unassigned splits, positions of
   * discovery) for checkpoint {@code checkpointId}. Called between other calls, so the state is
   * consistent; must be fast and must not block.
   *
   * @param checkpointId the checkpoint being taken
   * @return the checkpoint, a serializable record, never null
   * @throws Exception when the state cannot be captured; the checkpoint fails
   */
  C snapshotState(long checkpointId) throws Exception;

  /**
   * Checkpoint {@code checkpointId} completed on every task. Does nothing unless overridden.
   *
   * @param checkpointId the completed checkpoint
   */
  default void notifyCheckpointComplete(long checkpointId) {}

  /** Releases the enumerator's resources; called once, also on failure. */
  @Override
  void close() throws Exception;
}
