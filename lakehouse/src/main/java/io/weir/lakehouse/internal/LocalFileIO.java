package io.weir.lakehouse.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * An Iceberg {@link FileIO} on the local disk. Accepts plain paths and {@code file:} URIs
 * ({@code file:/a}, {@code file:///a}); creates parent directories on write. Iceberg ships none
 * (its {@code HadoopFileIO} needs the full Hadoop client). Lists the files under a directory
 * for orphan-file removal. Thread-safe.
 */
public final class LocalFileIO implements SupportsPrefixOperations {
  /** Created by the catalog from its {@code io-impl} property. */
  public LocalFileIO() {}

  @Override
  public InputFile newInputFile(String path) {
    return org.apache.iceberg.Files.localInput(toFile(path));
  }

  @Override
  public OutputFile newOutputFile(String path) {
    File file = toFile(path);
    File parent = file.getParentFile();
    if (parent != null && !parent.isDirectory() && !parent.mkdirs() && !parent.isDirectory()) {
      throw new UncheckedIOException(new IOException("cannot create directory " + parent));
    }
    return org.apache.iceberg.Files.localOutput(file);
  }

  @Override
  public void deleteFile(String path) {
    try {
      Files.delete(toFile(path).toPath());
    } catch (NoSuchFileException e) {
      // already gone: deleting is idempotent
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  /**
   * Every regular file under a directory (recursively), with its size and last modification
   * time; empty when the directory does not exist. Locations are absolute paths.
   */
  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = toFile(prefix).toPath();
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<FileInfo> out = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue; // deleted while listing
        }
        if (attrs.isRegularFile()) {
          out.add(new FileInfo(p.toAbsolutePath().toString(), attrs.size(),
              attrs.lastModifiedTime().toMillis()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + prefix, e);
    }
    return out;
  }

  /** Deletes every file under a directory (the directories stay). */
  @Override
  public void deletePrefix(String prefix) {
    for (FileInfo f : listPrefix(prefix)) {
      deleteFile(f.location());
    }
  }

  /** The local file of a path or {@code file:} URI. */
  static File toFile(String location) {
    if (location.startsWith("file:")) {
      String rest = location.substring("file:".length());
      while (rest.startsWith("//")) {
        rest = rest.substring(1);
      }
      return Path.of(rest).toFile();
    }
    return new File(location);
  }
}
