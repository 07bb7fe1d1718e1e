package io.weir.stream.api;

/**
 * The lifecycle of a user function: implement it beside {@link MapFunction} and the others to
 * open resources or obtain state. Both methods are called by the subtask's thread.
 */
public interface RichFunction {
  /**
   * Called once per subtask before the first element (and again after a restore). The place to
   * obtain state from {@code context}.
   *
   * @param context the subtask's context, never null
   * @throws Exception any failure, which fails the job
   */
  default void open(RuntimeContext context) throws Exception {}

  /**
   * Called once when the subtask ends, normally or not. Releases what {@link #open} acquired.
   *
   * @throws Exception any failure; reported, the subtask ends anyway
   */
  default void close() throws Exception {}
}
