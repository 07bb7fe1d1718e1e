package io.weir.connectors.testkit;

import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test two-phase-commit sink: writers stage lines per checkpoint; the committer appends each
 * staging to the committed results once (keyed by a random id minted at pre-commit), so a
 * commit repeated after a restore is a no-op and what a failed attempt staged is never seen.
 *
 * @param name where the committed results go
 */
public record CommittingSink(String name)
    implements TwoPhaseCommitSink<String, CommittingSink.Staged> {
  private static final Map<String, List<String>> COMMITTED = new ConcurrentHashMap<>();
  private static final Set<String> DONE = new HashSet<>();

  /**
   * Lines staged by one writer for one checkpoint.
   *
   * @param sink the sink's name
   * @param unique identifies the staging
   * @param lines in write order
   */
  public record Staged(String sink, String unique, List<String> lines) {}

  /** What was committed to {@code name}, in commit order. */
  public static List<String> committed(String name) {
    synchronized (DONE) {
      return List.copyOf(COMMITTED.getOrDefault(name, List.of()));
    }
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
        Staged staged = new Staged(name, UUID.randomUUID().toString(), List.copyOf(open));
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
      public void commit(long checkpointId, Collection<Staged> committables) {
        synchronized (DONE) {
          for (Staged s : committables) {
            if (DONE.add(s.unique())) {
              COMMITTED.computeIfAbsent(s.sink(), k -> new ArrayList<>()).addAll(s.lines());
            }
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
