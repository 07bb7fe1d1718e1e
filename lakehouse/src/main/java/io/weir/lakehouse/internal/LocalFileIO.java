package io.weir.lakehouse.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * An Iceberg {@link FileIO} on the local disk. Accepts plain paths and {@code file:} URIs
 * ({@code file:/a}, {@code file:///a}); creates parent directories on write. Iceberg ships none
 * (its {@code HadoopFileIO} needs the full Hadoop client). Thread-safe.
 */
public final class LocalFileIO implements FileIO {
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
