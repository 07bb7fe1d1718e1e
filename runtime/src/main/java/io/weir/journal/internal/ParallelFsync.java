package io.weir.journal.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Forces several partitions' tails at once. Each partition has its own file, so one group
 * needs one fsync per touched file; issued concurrently, the file system commits them together
 * (one journal commit on ext4/xfs) instead of one after another, which is what lets writes from
 * many entities share the cost of a single fsync.
 *
 * <p>Used by the writer thread only; the writer blocks until every force has returned.
 */
final class ParallelFsync implements AutoCloseable {
  private final ExecutorService pool;

  ParallelFsync(int threads, String threadName) {
    AtomicInteger counter = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, threadName + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Forces every log, concurrently when there are several, and waits for all of them.
   *
   * @param logs the logs to force, never null
   * @return the logs whose force failed, with the failure; empty if all succeeded
   */
  Map<PartitionLog, Exception> forceAll(List<PartitionLog> logs) {
    Map<PartitionLog, Exception> failures = new LinkedHashMap<>();
    if (logs.size() == 1) {
      try {
        logs.get(0).force();
      } catch (IOException | RuntimeException e) {
        failures.put(logs.get(0), e);
      }
      return failures;
    }
    List<Future<Void>> forces = new ArrayList<>(logs.size());
    for (PartitionLog log : logs) {
      forces.add(pool.submit(() -> {
        log.force();
        return null;
      }));
    }
    for (int i = 0; i < logs.size(); i++) {
      try {
        forces.get(i).get();
      } catch (ExecutionException e) {
        failures.put(logs.get(i), e.getCause() instanceof Exception c ? c : e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.put(logs.get(i), e);
      }
    }
    return failures;
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
