package io.weir.stream.api.source;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The enumerator's link to its readers. Call from the enumerator's thread, except
 * {@code callAsync}'s callable, which runs elsewhere.
 *
 * @param <S> the split type
 */
public interface SplitEnumeratorContext<S extends SourceSplit> {
  /** The source's parallelism: readers are subtasks 0 to this - 1. */
  int currentParallelism();

  /** The subtasks whose readers are registered now, never null. */
  Set<Integer> registeredReaders();

  /**
   * Assigns splits to readers; delivered asynchronously, in order per reader.
   *
   * @param assignment subtask to its new splits, never null
   * @throws IllegalArgumentException when a subtask has no registered reader
   */
  void assignSplits(Map<Integer, List<S>> assignment);

  /**
   * Tells a reader it will get no more splits: a bounded reader ends once its splits are read.
   *
   * @param subtaskId the reader's subtask
   */
  void signalNoMoreSplits(int subtaskId);

  /**
   * Runs {@code callable} off the enumerator's thread, then {@code handler} with its result (or
   * failure) on it. The way to do blocking discovery.
   *
   * @param callable the blocking work, never null
   * @param handler receives the result or the failure (the other is null), never null
   * @param <T> the result type
   */
  <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler);

  /**
   * Like {@link #callAsync(Callable, BiConsumer)}, first after {@code initialDelayMillis} and
   * then every {@code periodMillis}, for periodic discovery.
   *
   * @param callable the blocking work, never null
   * @param handler receives each result or failure, never null
   * @param initialDelayMillis at least 0
   * @param periodMillis at least 1
   * @param <T> the result type
   */
  <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler,
      long initialDelayMillis, long periodMillis);
}
