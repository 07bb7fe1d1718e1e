package io.weir.stream.internal.job;

import io.weir.stream.internal.JobGraph;
import io.weir.stream.internal.JobVertex;
import io.weir.stream.internal.KeyGroupRange;
import io.weir.stream.internal.exec.SubtaskRestore;
import io.weir.stream.internal.exec.SubtaskSnapshot;
import io.weir.stream.internal.state.KeyGroupSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a completed checkpoint into what each subtask of a new attempt starts from, for any
 * parallelism: keyed state goes by key group to the subtask whose range holds it; log offsets of
 * a source vertex are merged and every subtask takes those of its partitions; the committables of
 * old subtask {@code j} go to new subtask {@code j mod parallelism}. A generator's or fixed
 * elements' position cannot be split differently: restoring those with another parallelism
 * fails, naming the vertex.
 */
final class Restores {
  private Restores() {}

  /**
   * The restore of subtask {@code subtask} of vertex {@code vertex}.
   *
   * @param checkpointId the checkpoint
   * @param snapshots every subtask's snapshot in it
   * @param graph the new attempt's plan
   * @param vertex the vertex
   * @param subtask the subtask
   * @return what it starts from; null when the checkpoint has nothing of the vertex
   * @throws IllegalStateException when the vertex's source cannot be rescaled
   */
  static SubtaskRestore forSubtask(long checkpointId, List<SubtaskSnapshot> snapshots,
      JobGraph graph, JobVertex vertex, int subtask) {
    List<SubtaskSnapshot> mine = snapshots.stream()
        .filter(s -> s.vertex().equals(vertex.id())).toList();
    if (mine.isEmpty()) {
      return null;
    }
    int p = vertex.parallelism();
    KeyGroupRange range = KeyGroupRange.forSubtask(graph.maxParallelism(), p, subtask);
    List<KeyGroupSnapshot> keyGroups = new ArrayList<>();
    List<SubtaskSnapshot.Committables> committables = new ArrayList<>();
    Map<Integer, Long> offsets = new HashMap<>();
    long consumed = 0;
    boolean hasSource = false;
    List<io.weir.stream.api.source.SourceSplit> splits = null;
    for (SubtaskSnapshot s : mine) {
      s.keyGroups().stream().filter(kg -> range.contains(kg.keyGroup())).forEach(keyGroups::add);
      if (s.subtask() % p == subtask) {
        committables.addAll(s.committables());
      }
      if (s.source() != null) {
        hasSource = true;
        s.source().logOffsets().forEach((partition, next) -> offsets.merge(partition, next,
            Math::max));
        if (s.source().splits() != null) {
          // A connector reader's splits: old subtask j's go to new subtask j mod p.
          if (splits == null) {
            splits = new ArrayList<>();
          }
          if (s.subtask() % p == subtask) {
            splits.addAll(s.source().splits());
          }
        } else if (s.source().logOffsets().isEmpty() && s.source().consumed() > 0
            && mine.size() != p) {
          throw new IllegalStateException("the source of vertex " + vertex.id() + " ("
              + vertex.head().name() + ") is a generator or fixed elements, whose position"
              + " cannot be split over another parallelism: it ran with " + mine.size()
              + " subtasks, now " + p);
        }
        if (s.subtask() == subtask) {
          consumed = s.source().consumed();
        }
      }
    }
    SubtaskSnapshot.SourcePosition source = hasSource
        ? new SubtaskSnapshot.SourcePosition(offsets, consumed, splits) : null;
    // A subtask finishes only after all its inputs ended, so its upstream subtasks are finished
    // in the same checkpoint. With the same parallelism each subtask is as it was; with another
    // one (a savepoint, which is never taken once a subtask finished) when all were.
    boolean finished = mine.size() == p
        ? mine.stream().anyMatch(s -> s.subtask() == subtask && s.finished())
        : mine.stream().allMatch(SubtaskSnapshot::finished);
    return new SubtaskRestore(checkpointId, keyGroups, source, committables, finished);
  }
}
