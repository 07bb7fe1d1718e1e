package io.weir.multijvm;

import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * A two-phase-commit sink into a directory, durable across SIGKILL: a writer stages lines per
 * checkpoint; the committer writes them as {@code commit-<subtask>-<checkpoint>.txt}, through a
 * temporary file and an atomic move, and never twice, so a commit repeated after a crash is a
 * no-op.
 *
 * @param dir where the commit files go
 */
public record FileCommitSink(String dir) implements TwoPhaseCommitSink<String,
    FileCommitSink.Staged> {

  /**
   * Lines staged by one subtask for one checkpoint.
   *
   * @param subtask the writer's subtask
   * @param checkpointId the checkpoint
   * @param lines in write order
   * @param unique orders and tells apart two stagings for one checkpoint (a retried
   *     checkpoint's id repeats): the staging time, then a random id
   */
  public record Staged(int subtask, long checkpointId, List<String> lines, String unique) {}

  /** Every committed line, commit file by commit file in name order. */
  public static List<String> committed(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("commit-"))
          .sorted().toList()) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    return lines;
  }

  @Override
  public PrecommittingSinkWriter<String, Staged> createWriter(SinkContext context) {
    return new PrecommittingSinkWriter<>() {
      private final List<String> open = new ArrayList<>();

      @Override
      public void write(String element, Long timestamp) {
        open.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public Collection<Staged> precommit(long checkpointId) {
        Staged staged = new Staged(context.subtaskIndex(), checkpointId, List.copyOf(open),
            String.format("%020d-%s", System.nanoTime(), java.util.UUID.randomUUID()));
        open.clear();
        return List.of(staged);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Committer<Staged> createCommitter(SinkContext context) {
    return new Committer<>() {
      @Override
      public void commit(long checkpointId, Collection<Staged> committables) throws IOException {
        Files.createDirectories(Path.of(dir));
        for (Staged s : committables) {
          Path target = Path.of(dir, String.format("commit-%03d-%020d-%s.txt", s.subtask(),
              s.checkpointId(), s.unique()));
          if (Files.exists(target)) {
            continue;
          }
          Path temp = Files.createTempFile(Path.of(dir), "staged-", ".tmp");
          Files.write(temp, s.lines());
          try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
          } catch (FileAlreadyExistsException e) {
            Files.delete(temp);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }

      @Override
      public void abort(long checkpointId, Collection<Staged> committables) {}

      @Override
      public void close() {}
    };
  }

  @Override
  public Class<Staged> committableType() {
    return Staged.class;
  }
}
