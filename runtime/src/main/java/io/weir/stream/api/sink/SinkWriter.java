package io.weir.stream.api.sink;

/**
 * Writes the elements of one subtask. Called from the subtask's thread, one call at a time. A
 * write may buffer; {@link #flush} makes everything written so far durable.
 *
 * @param <T> the element type
 */
public interface SinkWriter<T> extends AutoCloseable {
  /**
   * Writes (or buffers) one element. May block only briefly, to apply backpressure.
   *
   * @param element never null
   * @param timestamp the element's event timestamp in epoch milliseconds; null when none
   * @throws Exception a write failure, which fails the job
   */
  void write(T element, Long timestamp) throws Exception;

  /**
   * Makes everything written so far durable: called on every checkpoint barrier (before the
   * barrier is acknowledged) and at the end of a bounded input.
   *
   * @param endOfInput whether no more elements will come
   * @throws Exception a failure, which fails the checkpoint and the job
   */
  void flush(boolean endOfInput) throws Exception;

  /** Releases the writer's resources; called once, also on failure, without flushing. */
  @Override
  void close() throws Exception;
}
