package io.weir.stream;

import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * {@link CommittingSink} with a global committer: the same writers and committer, but all
 * subtasks' committables go to one committer. Records, per sink name, the contexts committers
 * were created with and the writer subtasks each commit call carried.
 *
 * @param name where the committed results go
 */
public record GlobalCommittingSink(String name)
    implements TwoPhaseCommitSink<String, CommittingSink.Staged> {
  private static final Map<String, List<String>> COMMITTERS = new ConcurrentHashMap<>();
  private static final Map<String, List<Set<Integer>>> CALLS = new ConcurrentHashMap<>();

  /** The committers created for {@code name}, as {@code subtask/parallelism}. */
  public static List<String> committers(String name) {
    return List.copyOf(COMMITTERS.getOrDefault(name, List.of()));
  }

  /** The writer subtasks each commit call of {@code name} carried, in call order. */
  public static List<Set<Integer>> commitCalls(String name) {
    return List.copyOf(CALLS.getOrDefault(name, List.of()));
  }

  @Override
  public PrecommittingSinkWriter<String, CommittingSink.Staged> createWriter(
      SinkContext context) {
    return new CommittingSink(name).createWriter(context);
  }

  @Override
  public Committer<CommittingSink.Staged> createCommitter(SinkContext context) {
    COMMITTERS.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>())
        .add(context.subtaskIndex() + "/" + context.parallelism());
    Committer<CommittingSink.Staged> inner = new CommittingSink(name).createCommitter(context);
    return new Committer<>() {
      @Override
      public void commit(long checkpointId, Collection<CommittingSink.Staged> committables)
          throws Exception {
        CALLS.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(committables.stream()
            .filter(s -> !s.records().isEmpty())
            .map(CommittingSink.Staged::subtask).collect(Collectors.toSet()));
        inner.commit(checkpointId, committables);
      }

      @Override
      public void abort(long checkpointId, Collection<CommittingSink.Staged> committables)
          throws Exception {
        inner.abort(checkpointId, committables);
      }

      @Override
      public void close() throws Exception {
        inner.close();
      }
    };
  }

  @Override
  public boolean globalCommitter() {
    return true;
  }

  @Override
  public Class<CommittingSink.Staged> committableType() {
    return CommittingSink.Staged.class;
  }
}
