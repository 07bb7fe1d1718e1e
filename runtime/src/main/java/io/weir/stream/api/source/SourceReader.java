package io.weir.stream.api.source;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Reads the splits assigned to one subtask. Every method is called from the subtask's thread,
 * one at a time, and must not block: a reader that waits for input (a network fetch, a file
 * read) does it on its own thread and says so through {@link #isAvailable()}. Between two calls
 * the subtask may take a checkpoint, emit barriers and watermarks.
 *
 * @param <T> the element type
 * @param <S> the split type
 */
public interface SourceReader<T, S extends SourceSplit> extends AutoCloseable {
  /** Starts the reader, for example by asking for a first split. Must not block. */
  void start();

  /**
   * Emits what is available now, a bounded amount (a batch), into {@code output}, and says
   * whether more is. Must not block.
   *
   * @param output where to emit, valid only during this call
   * @return what comes next, never null
   * @throws Exception a read failure, which fails the job
   */
  InputStatus pollNext(ReaderOutput<T> output) throws Exception;

  /**
   * Completes when {@link #pollNext} has something again; called after it returned
   * {@link InputStatus#NOTHING_AVAILABLE}. May complete on another thread.
   *
   * @return a stage that completes when data is available, never null
   */
  CompletionStage<Void> isAvailable();

  /**
   * Adds splits to read (from the enumerator, or the splits held at the checkpoint restored).
   *
   * @param splits never null
   */
  void addSplits(List<S> splits);

  /** The enumerator will send no more splits; a bounded reader ends once its splits are read. */
  void notifyNoMoreSplits();

  /**
   * The splits this reader holds, each with its position after the last element emitted, for
   * checkpoint {@code checkpointId}. Called between {@code pollNext} calls, so the positions are
   * consistent with what was emitted before the checkpoint's barrier. Must not block.
   *
   * @param checkpointId the checkpoint being taken
   * @return the splits with their positions, never null
   */
  List<S> snapshotState(long checkpointId);

  /**
   * Checkpoint {@code checkpointId} completed: positions up to it are durable (a reader may now
   * commit offsets to an external system). Does nothing unless overridden.
   *
   * @param checkpointId the completed checkpoint
   */
  default void notifyCheckpointComplete(long checkpointId) {}

  /** Releases the reader's resources; called once, also on failure. */
  @Override
  void close() throws Exception;
}
