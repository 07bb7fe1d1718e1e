package io.weir.journal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;

/**
 * The durable logical deletion point of a partition: file {@code deleted-to} holding the seqNr
 * up to which events are deleted and its CRC32C. Replaced atomically (write a temporary file,
 * fsync, rename, fsync the directory).
 */
final class DeletionMarker {
  static final String FILE_NAME = "deleted-to";
  private static final int BYTES = 12;

  private DeletionMarker() {}

  /**
   * Reads the deletion point of the partition in {@code dir}: 0 if there is no marker.
   *
   * @throws CorruptSegmentException if the marker exists but is damaged
   */
  static long read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return 0;
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    if (bytes.length != BYTES || FrameCodec.crc(bytes, 0, 8) != buf.getInt(8)) {
      throw new CorruptSegmentException("deletion marker " + file + " is damaged");
    }
    return buf.getLong(0);
  }

  /** Durably records {@code deletedTo} as the deletion point of the partition in {@code dir}. */
  static void write(Path dir, long deletedTo) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(BYTES).putLong(deletedTo);
    buf.putInt(FrameCodec.crc(buf.array(), 0, 8)).flip();
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      out.force(true);
    }
    Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    forceDirectory(dir);
  }

  /** Forces a directory's entries (new, renamed or removed files) to the device. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
