package io.weir.stream.internal.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.state.ListState;
import io.weir.stream.api.state.ListStateDescriptor;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import io.weir.stream.internal.JobGraph;
import io.weir.stream.internal.JobPlanner;
import io.weir.stream.internal.JobVertex;
import io.weir.stream.internal.KeyGroupRange;
import io.weir.stream.internal.KeyGroups;
import io.weir.stream.internal.exec.SubtaskRestore;
import io.weir.stream.internal.exec.SubtaskSnapshot;
import io.weir.stream.internal.state.InternalTimers;
import io.weir.stream.internal.state.KeyedStateBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint cut by key group restores every key's state (values, lists, timers) at another
 * parallelism, 2 → 3 → 1; log offsets are merged; a generator cannot be rescaled.
 */
class RescaleRestoreTest {
  private static final int KEYS = 500;

  /** args: parallelism. A keyed counter after a generator and a log source. */
  public static final class Keyed implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(Integer.parseInt(args.get(0)));
      job.generate(i -> i, 10).keyBy(i -> i % 7).reduce(Long::sum).print();
    }
  }

  private static JobGraph plan(int parallelism) {
    return JobPlanner.plan(new Keyed(), List.of(String.valueOf(parallelism))).jobGraph();
  }

  private static JobVertex keyed(JobGraph graph) {
    return graph.vertices().stream().filter(v -> graph.isKeyed(v.id())).findFirst().orElseThrow();
  }

  /** Subtask states of a vertex: key i → value i*10, list [i, i+1], a timer at i. */
  private static List<SubtaskSnapshot> fill(JobGraph graph, long checkpointId) {
    JobVertex v = keyed(graph);
    List<SubtaskSnapshot> snapshots = new ArrayList<>();
    for (int s = 0; s < v.parallelism(); s++) {
      KeyGroupRange range = graph.keyGroupRange(v.id(), s);
      KeyedStateBackend backend = new KeyedStateBackend(range, graph.maxParallelism(), () -> 0);
      InternalTimers timers = new InternalTimers(range, graph.maxParallelism());
      ValueState<Long> value = backend.getState(ValueStateDescriptor.of("value", Long.class));
      ListState<Long> list = backend.getState(ListStateDescriptor.of("list", Long.class));
      for (long key = 0; key < KEYS; key++) {
        if (range.contains(KeyGroups.assign("key-" + key, graph.maxParallelism()))) {
          backend.setCurrentKey("key-" + key);
          value.update(key * 10);
          list.add(key);
          list.add(key + 1);
          timers.registerEventTimeTimer("key-" + key, key);
        }
      }
      snapshots.add(new SubtaskSnapshot(checkpointId, v.id(), s, backend.snapshot(timers), null,
          List.of(), 0));
    }
    return snapshots;
  }

  /** Restores every subtask of the new plan and reads every key back. */
  private static List<SubtaskSnapshot> restoreAndCheck(JobGraph graph,
      List<SubtaskSnapshot> old, long checkpointId) {
    JobVertex v = keyed(graph);
    int found = 0;
    List<SubtaskSnapshot> again = new ArrayList<>();
    for (int s = 0; s < v.parallelism(); s++) {
      SubtaskRestore restore = Restores.forSubtask(checkpointId, old, graph, v, s);
      KeyGroupRange range = graph.keyGroupRange(v.id(), s);
      KeyedStateBackend backend = new KeyedStateBackend(range, graph.maxParallelism(), () -> 0);
      InternalTimers timers = new InternalTimers(range, graph.maxParallelism());
      backend.restore(restore.keyGroups(), timers);
      ValueState<Long> value = backend.getState(ValueStateDescriptor.of("value", Long.class));
      ListState<Long> list = backend.getState(ListStateDescriptor.of("list", Long.class));
      for (long key = 0; key < KEYS; key++) {
        if (range.contains(KeyGroups.assign("key-" + key, graph.maxParallelism()))) {
          backend.setCurrentKey("key-" + key);
          assertEquals(key * 10, value.value());
          List<Long> items = new ArrayList<>();
          list.get().forEach(items::add);
          assertEquals(List.of(key, key + 1), items);
          found++;
        }
      }
      again.add(new SubtaskSnapshot(checkpointId + 1, v.id(), s, backend.snapshot(timers), null,
          List.of(), 0));
      assertEquals(restore.keyGroups().stream().mapToInt(kg -> kg.eventTimers().size()).sum(),
          timers.size(), "every timer of the subtask's key groups is back");
    }
    assertEquals(KEYS, found, "every key is restored exactly once");
    return again;
  }

  @Test
  void keyedStateMovesByKeyGroupFromTwoToThreeToOneSubtasks() {
    List<SubtaskSnapshot> two = fill(plan(2), 1);
    List<SubtaskSnapshot> three = restoreAndCheck(plan(3), two, 1);
    restoreAndCheck(plan(1), three, 2);
  }

  @Test
  void logOffsetsAreMergedAndGeneratorsRefuseAnotherParallelism() {
    JobGraph graph = plan(3);
    JobVertex source = graph.vertices().get(0);
    List<SubtaskSnapshot> old = List.of(
        new SubtaskSnapshot(5, source.id(), 0, List.of(),
            new SubtaskSnapshot.SourcePosition(Map.of(0, 10L, 2, 7L), 17), List.of(), 0),
        new SubtaskSnapshot(5, source.id(), 1, List.of(),
            new SubtaskSnapshot.SourcePosition(Map.of(1, 4L), 4), List.of(), 0));
    SubtaskRestore restore = Restores.forSubtask(5, old, graph, source, 2);
    assertEquals(Map.of(0, 10L, 1, 4L, 2, 7L), restore.source().logOffsets());
    assertNull(Restores.forSubtask(5, List.of(), graph, source, 0));

    List<SubtaskSnapshot> generator = List.of(
        new SubtaskSnapshot(5, source.id(), 0, List.of(),
            new SubtaskSnapshot.SourcePosition(Map.of(), 3), List.of(), 0));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Restores.forSubtask(5, generator, graph, source, 0));
    assertTrue(e.getMessage().contains("cannot be split over another parallelism"),
        e.getMessage());
  }
}
