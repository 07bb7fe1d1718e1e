package io.weir.stream;

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
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test two-phase-commit sink: writers stage records per checkpoint; the committer appends a
 * staged batch to the committed results once, keyed by (sink, subtask, checkpoint), so a commit
 * repeated after a restore is a no-op. What was staged for a checkpoint that never completed is
 * never committed; an aborted staging is gone (a later commit of it adds nothing, so aborting
 * one that should have been committed shows as lost records).
 *
 * @param name where the committed results go
 */
public record CommittingSink(String name) implements TwoPhaseCommitSink<String, CommittingSink.Staged> {
  private static final Map<String, List<String>> COMMITTED = new ConcurrentHashMap<>();
  private static final Set<String> DONE = new HashSet<>();
  private static final Set<String> ABORTED = new HashSet<>();
  private static final Map<String, Integer> ABORTS = new ConcurrentHashMap<>();

  /** How many stagings of {@code name} were aborted. */
  public static int aborts(String name) {
    return ABORTS.getOrDefault(name, 0);
  }

  /**
   * Records staged by one subtask for one checkpoint.
   *
   * @param sink the sink's name
   * @param subtask the writer's subtask
   * @param checkpointId the checkpoint
   * @param records in write order
   * @param unique tells two stagings for one checkpoint apart (a retried checkpoint's id repeats)
   */
  public record Staged(String sink, int subtask, long checkpointId, List<String> records,
      String unique) {}

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
        Staged staged = new Staged(name, context.subtaskIndex(), checkpointId, List.copyOf(open),
            java.util.UUID.randomUUID().toString());
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
            // Aborted staging is gone, as an aborted transaction is: committing it loses it.
            if (!ABORTED.contains(s.unique()) && DONE.add(s.sink() + "/" + s.subtask() + "/"
                + s.checkpointId() + "/" + s.unique())) {
              COMMITTED.computeIfAbsent(s.sink(), k -> new ArrayList<>()).addAll(s.records());
            }
          }
        }
      }

      @Override
      public void abort(long checkpointId, Collection<Staged> committables) {
        synchronized (DONE) {
          for (Staged s : committables) {
            ABORTED.add(s.unique());
            ABORTS.merge(s.sink(), 1, Integer::sum);
          }
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public Class<Staged> committableType() {
    return Staged.class;
  }
}
