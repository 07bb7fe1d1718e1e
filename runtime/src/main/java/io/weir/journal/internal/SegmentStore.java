package io.weir.journal.internal;

import io.weir.api.WeirException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segment files under one journal directory: one sub-directory per persistence id, opened
 * and recovered lazily on first use, written by one {@link GroupCommitWriter}.
 *
 * <p>The directory is locked ({@code .lock}) while the store is open, so one process (and one
 * store within it) owns it. Thread-safe. Writes and deletes never block the caller; reads and
 * {@link #highestSeqNr} block on file I/O and belong on a dispatcher meant for blocking.
 */
public final class SegmentStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentStore.class);

  private final JournalSettings settings;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ConcurrentHashMap<String, Holder> partitions = new ConcurrentHashMap<>();
  private final GroupCommitWriter writer;
  private volatile boolean closed;

  /** Opens a partition on first use; the lock makes concurrent first uses open it once. */
  private final class Holder {
    private final String persistenceId;
    private PartitionLog log;

    Holder(String persistenceId) {
      this.persistenceId = persistenceId;
    }

    synchronized PartitionLog get() throws IOException {
      if (log == null) {
        log = PartitionLog.open(persistenceId,
            settings.dir().resolve(DirectoryNames.of(persistenceId)), settings);
      }
      return log;
    }

    synchronized boolean drop(PartitionLog expected) {
      if (log != expected) {
        return false;
      }
      log = null;
      return true;
    }
  }

  private SegmentStore(JournalSettings settings, FileChannel lockChannel, FileLock lock) {
    this.settings = settings;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.writer = new GroupCommitWriter(settings, new WriterPartitions(),
        "weir-segment-journal-writer");
  }

  /**
   * Opens the store in {@code settings.dir()}, creating the directory, and starts its writer.
   *
   * @param settings the plugin settings, never null
   * @return the open store, never null
   * @throws IOException if the directory cannot be created or locked
   * @throws WeirException if another process or store holds the directory
   */
  public static SegmentStore open(JournalSettings settings) throws IOException {
    Files.createDirectories(settings.dir());
    FileChannel channel = FileChannel.open(settings.dir().resolve(".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new WeirException("the segment journal directory " + settings.dir()
          + " is in use by another journal (in this or another process); stop it first");
    }
    SegmentStore store = new SegmentStore(settings, channel, lock);
    store.writer.start();
    return store;
  }

  /** The settings this store was opened with; never null. */
  public JournalSettings settings() {
    return settings;
  }

  /**
   * Queues atomic writes. Never blocks.
   *
   * @param writes the writes in order, never null
   * @return completes when every write is durable per the fsync policy and visible to readers;
   *     fails if a write could not be stored (then any of them may or may not be stored)
   */
  public CompletableFuture<Void> write(List<EncodedWrite> writes) {
    return writer.submit(new WriteRequest.Append(writes, new CompletableFuture<>())).done();
  }

  /**
   * Queues a logical deletion of the events of {@code persistenceId} up to {@code toSeqNr}.
   * Never blocks.
   *
   * @return completes when the deletion point is durable
   */
  public CompletableFuture<Void> deleteTo(String persistenceId, long toSeqNr) {
    return writer.submit(new WriteRequest.Delete(persistenceId, toSeqNr,
        new CompletableFuture<>())).done();
  }

  /**
   * The highest seqNr ever acknowledged for {@code persistenceId} (kept after deletion), or 0.
   * Blocks on file I/O the first time a partition is used.
   *
   * @throws IOException if the partition's files cannot be read
   */
  public long highestSeqNr(String persistenceId) throws IOException {
    return partition(persistenceId).view().highestSeqNr();
  }

  /**
   * A cursor over the acknowledged events of {@code persistenceId} with seqNrs in {@code
   * [fromSeqNr, toSeqNr]}, at most {@code max} of them. Blocks on file I/O the first time a
   * partition is used.
   *
   * @return an open cursor the caller must close, never null
   * @throws IOException if the partition's files cannot be read
   */
  public SegmentCursor cursor(String persistenceId, long fromSeqNr, long toSeqNr, long max)
      throws IOException {
    PartitionLog log = partition(persistenceId);
    return new SegmentCursor(persistenceId, log.view(), fromSeqNr, toSeqNr, max,
        () -> currentDeletedTo(persistenceId, log));
  }

  /**
   * Finishes queued writes, forces and closes every file and releases the directory lock.
   * Blocks up to 30 seconds. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("closing the segment journal in {} failed", settings.dir(), e);
    }
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      LOG.warn("releasing the lock of {} failed", settings.dir(), e);
    }
  }

  private PartitionLog partition(String persistenceId) throws IOException {
    if (closed) {
      throw new IllegalStateException("the segment journal in " + settings.dir() + " is closed");
    }
    return partitions.computeIfAbsent(persistenceId, Holder::new).get();
  }

  private long currentDeletedTo(String persistenceId, PartitionLog fallback) {
    try {
      return partition(persistenceId).view().deletedTo();
    } catch (IOException | RuntimeException e) {
      return fallback.view().deletedTo();
    }
  }

  /** The writer's access to partitions. */
  private final class WriterPartitions implements GroupCommitWriter.Partitions {
    @Override
    public PartitionLog partition(String persistenceId) throws IOException {
      return partitions.computeIfAbsent(persistenceId, Holder::new).get();
    }

    @Override
    public void evict(PartitionLog log) {
      Holder holder = partitions.get(log.persistenceId());
      if (holder != null && holder.drop(log)) {
        try {
          log.close();
        } catch (IOException e) {
          LOG.warn("persistenceId {}: closing after a failure failed", log.persistenceId(), e);
        }
      }
    }

    @Override
    public void closeAll() {
      for (Holder holder : partitions.values()) {
        PartitionLog log;
        synchronized (holder) {
          log = holder.log;
        }
        if (log != null) {
          try {
            log.close();
          } catch (IOException e) {
            LOG.error("persistenceId {}: closing its tail failed", log.persistenceId(), e);
          }
        }
      }
    }
  }
}
