package io.weir.stream.api.sink;

import java.util.Collection;

/**
 * A writer that stages its writes in transactions. Between two barriers it writes into an open
 * transaction; on a barrier it pre-commits.
 *
 * @param <T> the element type
 * @param <C> the committable type
 */
public interface PrecommittingSinkWriter<T, C> extends SinkWriter<T> {
  /**
   * Pre-commits on the barrier of checkpoint {@code checkpointId}: makes what was written since
   * the previous barrier durable but invisible, and opens the next transaction. Called after
   * {@link #flush}, before the barrier is acknowledged. May block for the durable write.
   *
   * @param checkpointId the checkpoint whose barrier arrived
   * @return the committables of the staged data, stored in the checkpoint; never null, may be
   *     empty
   * @throws Exception a failure, which fails the checkpoint and the job
   */
  Collection<C> precommit(long checkpointId) throws Exception;
}
