package io.weir.node.internal;

import io.weir.api.WeirException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A data directory held by this process: it exists, is writable, and its lock file is locked, so
 * no other Weir process can open the same durable state. The lock file also records the owner's
 * process id and node address, so a second process can say who holds it.
 */
public final class DataDirectory implements AutoCloseable {
  /** The lock file's name inside the data directory. */
  public static final String LOCK_FILE = "weir.lock";

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectory(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Creates the directory if needed, checks it is usable and takes its lock.
   *
   * @param path an absolute directory path
   * @return the held directory; close it to release the lock
   * @throws WeirException if the path is not a usable directory or another process holds it
   */
  public static DataDirectory open(Path path) {
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new WeirException("data directory " + path + " is not a directory");
    }
    try {
      Files.createDirectories(path);
    } catch (IOException | SecurityException e) {
      throw new WeirException("cannot create data directory " + path + ": " + describe(e), e);
    }
    if (!Files.isReadable(path) || !Files.isWritable(path) || !Files.isExecutable(path)) {
      throw new WeirException("data directory " + path + " is not readable and writable by this user");
    }
    Path lockFile = path.resolve(LOCK_FILE);
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new WeirException("cannot open lock file " + lockFile + ": " + describe(e), e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      String owner = readOwner(lockFile);
      closeQuietly(channel);
      throw new WeirException("data directory " + path + " is in use by another Weir process"
          + (owner.isEmpty() ? "" : " (" + owner + ")")
          + "; stop it or choose another directory with --data-dir");
    }
    DataDirectory dir = new DataDirectory(path, channel, lock);
    dir.recordOwner("pid=" + ProcessHandle.current().pid());
    return dir;
  }

  /** The absolute path of the directory. */
  public Path path() {
    return path;
  }

  /**
   * Writes the owner line (process id, node address) into the lock file, replacing what was there.
   *
   * @param owner a one-line description such as {@code pid=42 address=pekko://weir@127.0.0.1:4711}
   */
  public void recordOwner(String owner) {
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((owner + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
    } catch (IOException e) {
      throw new WeirException("cannot write lock file in " + path + ": " + describe(e), e);
    }
  }

  /** Releases the lock; the lock file stays behind, empty of meaning until locked again. */
  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
    } catch (IOException e) {
      // The lock dies with the channel anyway.
    }
    closeQuietly(channel);
  }

  private static String readOwner(Path lockFile) {
    try {
      return Files.readString(lockFile, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing to do: the channel is being discarded.
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }
}
