package io.weir.stream.internal.exec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.weir.api.CborSerializable;
import io.weir.stream.internal.state.KeyGroupSnapshot;
import java.util.List;
import java.util.Map;

/**
 * What one subtask contributes to a checkpoint: its keyed state and timers per key group, its
 * source's position (for a source vertex) and its sinks' pre-committed transactions.
 *
 * @param checkpointId the checkpoint
 * @param vertex the subtask's vertex
 * @param subtask the subtask's index
 * @param keyGroups keyed state and timers, one entry per key group with any
 * @param source where the source stands after the last record before the barrier; null for a
 *     vertex that does not start with a source
 * @param committables per sink operator (by node id), what its writer pre-committed
 * @param alignmentMillis how long the barrier waited for alignment
 */
public record SubtaskSnapshot(long checkpointId, String vertex, int subtask,
    List<KeyGroupSnapshot> keyGroups, SourcePosition source, List<Committables> committables,
    long alignmentMillis) implements CborSerializable {
  /** Copies the lists. */
  public SubtaskSnapshot {
    keyGroups = List.copyOf(keyGroups);
    committables = List.copyOf(committables);
  }

  /**
   * A source's position.
   *
   * @param logOffsets for a log source: per partition read, the next offset to read
   * @param consumed for a generator or fixed elements: how many this subtask emitted
   */
  public record SourcePosition(Map<Integer, Long> logOffsets, long consumed) {
    /** Copies the map. */
    public SourcePosition {
      logOffsets = Map.copyOf(logOffsets);
    }
  }

  /**
   * What one sink operator pre-committed at the checkpoint.
   *
   * @param node the sink's node id
   * @param items the committables, as its {@code TwoPhaseCommitSink} made them
   */
  public record Committables(int node,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<Object> items) {
    /** Copies the list. */
    public Committables {
      items = List.copyOf(items);
    }
  }
}
