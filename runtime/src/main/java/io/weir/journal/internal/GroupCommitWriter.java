package io.weir.journal.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes segment files (group commit). It takes every request queued so
 * far, writes them all, forces each touched partition's tail once as the {@link FsyncPolicy}
 * says, publishes the new state to readers and only then completes the requests' futures.
 *
 * <p>Callers only enqueue ({@link #submit}); they never block and never run file I/O.
 */
final class GroupCommitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_GROUP = 4096;
  private static final int FSYNC_THREADS = 4;

  /** Where the writer finds partitions, and how it drops one after an I/O error. */
  interface Partitions {
    PartitionLog partition(String persistenceId) throws IOException;

    void evict(PartitionLog log);

    void closeAll();
  }

  /** A request of the current group and what went wrong with it, if anything. */
  private static final class Pending {
    final WriteRequest request;
    final Set<PartitionLog> touched = new LinkedHashSet<>();
    Throwable error;

    Pending(WriteRequest request) {
      this.request = request;
    }
  }

  private final LinkedBlockingQueue<WriteRequest> queue = new LinkedBlockingQueue<>();
  private final JournalSettings settings;
  private final Partitions partitions;
  private final Set<PartitionLog> unsynced = new LinkedHashSet<>();
  private final Thread thread;
  private final ParallelFsync fsync;
  private volatile boolean closed;
  private long lastSyncNanos = System.nanoTime();

  GroupCommitWriter(JournalSettings settings, Partitions partitions, String threadName) {
    this.settings = settings;
    this.partitions = partitions;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    this.fsync = new ParallelFsync(FSYNC_THREADS, threadName + "-fsync");
  }

  void start() {
    thread.start();
  }

  /** Enqueues a request; never blocks. Fails the request at once if the writer is closed. */
  <R extends WriteRequest> R submit(R request) {
    if (closed) {
      request.done().completeExceptionally(new IllegalStateException(
          "the segment journal in " + settings.dir() + " is closed"));
    } else {
      queue.add(request);
    }
    return request;
  }

  /** Stops accepting requests; the returned future completes once all files are closed. */
  CompletableFuture<Void> close() {
    WriteRequest.Close close = new WriteRequest.Close(new CompletableFuture<>());
    queue.add(close);
    closed = true;
    return close.done();
  }

  private void run() {
    List<WriteRequest> group = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        WriteRequest first = nextRequest();
        if (first == null) {
          syncUnsynced();
          continue;
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP - 1);
        stop = process(group);
      } catch (InterruptedException e) {
        LOG.warn("segment journal writer for {} ignored an interrupt", settings.dir());
      } catch (RuntimeException | Error e) {
        LOG.error("segment journal writer for {} failed a group of {} requests",
            settings.dir(), group.size(), e);
        group.forEach(r -> r.done().completeExceptionally(e));
      }
      group.clear();
    }
  }

  private WriteRequest nextRequest() throws InterruptedException {
    if (settings.fsync() != FsyncPolicy.INTERVAL || unsynced.isEmpty()) {
      return queue.take();
    }
    long wait = settings.fsyncInterval().toNanos() - (System.nanoTime() - lastSyncNanos);
    return wait <= 0 ? queue.poll() : queue.poll(wait, TimeUnit.NANOSECONDS);
  }

  private boolean process(List<WriteRequest> group) {
    List<Pending> pendings = new ArrayList<>(group.size());
    Set<PartitionLog> touched = new LinkedHashSet<>();
    WriteRequest.Close close = null;
    for (WriteRequest request : group) {
      Pending pending = new Pending(request);
      pendings.add(pending);
      if (request instanceof WriteRequest.Append a) {
        append(a, pending, pendings, touched);
      } else if (request instanceof WriteRequest.Delete d) {
        delete(d, pending);
      } else if (request instanceof WriteRequest.Close c) {
        close = c;
      }
    }
    if (settings.fsync() == FsyncPolicy.ALWAYS && !touched.isEmpty()) {
      fsync.forceAll(List.copyOf(touched))
          .forEach((log, error) -> fail(log, error, pendings, touched));
    } else if (settings.fsync() == FsyncPolicy.INTERVAL) {
      unsynced.addAll(touched);
      if (System.nanoTime() - lastSyncNanos >= settings.fsyncInterval().toNanos()) {
        syncUnsynced();
      }
    }
    touched.forEach(PartitionLog::publish);
    for (Pending p : pendings) {
      if (p.request instanceof WriteRequest.Close) {
        continue;
      }
      if (p.error == null) {
        p.request.done().complete(null);
      } else {
        p.request.done().completeExceptionally(p.error);
      }
    }
    if (close != null) {
      closeAll(close);
      return true;
    }
    return false;
  }

  private void append(WriteRequest.Append append, Pending pending, List<Pending> pendings,
      Set<PartitionLog> touched) {
    Map<String, List<EncodedWrite>> byPartition = new LinkedHashMap<>();
    for (EncodedWrite w : append.writes()) {
      byPartition.computeIfAbsent(w.persistenceId(), k -> new ArrayList<>()).add(w);
    }
    for (Map.Entry<String, List<EncodedWrite>> entry : byPartition.entrySet()) {
      PartitionLog log;
      try {
        log = partitions.partition(entry.getKey());
        log.checkOrder(entry.getValue());
      } catch (IOException | RuntimeException e) {
        pending.error = e;
        continue;
      }
      pending.touched.add(log);
      touched.add(log);
      try {
        log.append(entry.getValue());
      } catch (IOException | RuntimeException e) {
        fail(log, e, pendings, touched);
      }
    }
  }

  private void delete(WriteRequest.Delete delete, Pending pending) {
    try {
      partitions.partition(delete.persistenceId()).deleteTo(delete.toSeqNr());
    } catch (IOException | RuntimeException e) {
      pending.error = e;
    }
  }

  /** Fails every request of the group that wrote to {@code log}, and drops the log. */
  private void fail(PartitionLog log, Throwable cause, List<Pending> pendings,
      Set<PartitionLog> touched) {
    LOG.error("persistenceId {}: write to the segment journal failed; the partition will be "
        + "recovered from its files on next use", log.persistenceId(), cause);
    for (Pending p : pendings) {
      if (p.touched.contains(log) && p.error == null) {
        p.error = cause;
      }
    }
    touched.remove(log);
    unsynced.remove(log);
    partitions.evict(log);
  }

  private void syncUnsynced() {
    if (!unsynced.isEmpty()) {
      fsync.forceAll(List.copyOf(unsynced)).forEach((log, error) -> {
        LOG.error("persistenceId {}: interval fsync failed; writes acknowledged since the last "
            + "fsync may be lost on a machine crash", log.persistenceId(), error);
        partitions.evict(log);
      });
    }
    unsynced.clear();
    lastSyncNanos = System.nanoTime();
  }

  private void closeAll(WriteRequest.Close close) {
    fsync.close();
    try {
      partitions.closeAll();
      close.done().complete(null);
    } catch (RuntimeException e) {
      close.done().completeExceptionally(e);
    }
    WriteRequest left;
    while ((left = queue.poll()) != null) {
      left.done().completeExceptionally(new IllegalStateException(
          "the segment journal in " + settings.dir() + " is closed"));
    }
  }
}
