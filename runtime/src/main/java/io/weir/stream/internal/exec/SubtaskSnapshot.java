package io.weir.stream.internal.exec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.weir.api.CborSerializable;
import io.weir.stream.api.source.SourceSplit;
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
 * @param finished whether the subtask's input had ended: restored, it processes nothing and
 *     only passes the end of input on (its operators saw the end already)
 */
public record SubtaskSnapshot(long checkpointId, String vertex, int subtask,
    List<KeyGroupSnapshot> keyGroups, SourcePosition source, List<Committables> committables,
    long alignmentMillis, boolean finished) implements CborSerializable {
  /** Copies the lists. */
  public SubtaskSnapshot {
    keyGroups = List.copyOf(keyGroups);
    committables = List.copyOf(committables);
  }

  /** The snapshot of a running subtask. */
  public SubtaskSnapshot(long checkpointId, String vertex, int subtask,
      List<KeyGroupSnapshot> keyGroups, SourcePosition source, List<Committables> committables,
      long alignmentMillis) {
    this(checkpointId, vertex, subtask, keyGroups, source, committables, alignmentMillis, false);
  }

  /** This snapshot as part of checkpoint {@code id} (a finished subtask's, in later ones). */
  public SubtaskSnapshot withCheckpointId(long id) {
    return new SubtaskSnapshot(id, vertex, subtask, keyGroups, source, committables, 0,
        finished);
  }

  /**
   * A source's position.
   *
   * @param logOffsets for a log source: per partition read, the next offset to read
   * @param consumed for a generator or fixed elements: how many this subtask emitted
   * @param splits for a connector source: its reader's splits with their positions at the
   *     barrier; null for other sources
   */
  public record SourcePosition(Map<Integer, Long> logOffsets, long consumed,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<SourceSplit> splits) {
    /** Copies the map and list. */
    public SourcePosition {
      logOffsets = Map.copyOf(logOffsets);
      splits = splits == null ? null : List.copyOf(splits);
    }

    /** The position of a log, generator or fixed-elements source. */
    public SourcePosition(Map<Integer, Long> logOffsets, long consumed) {
      this(logOffsets, consumed, null);
    }
  }

  /** This snapshot with its connector reader's splits. */
  public SubtaskSnapshot withSplits(List<SourceSplit> splits) {
    SourcePosition position = source == null
        ? new SourcePosition(Map.of(), 0, splits)
        : new SourcePosition(source.logOffsets(), source.consumed(), splits);
    return new SubtaskSnapshot(checkpointId, vertex, subtask, keyGroups, position, committables,
        alignmentMillis, finished);
  }

  /**
   * What one sink operator pre-committed for one checkpoint and has not committed yet. A
   * snapshot holds every such checkpoint of the sink, not only its own: a completed checkpoint
   * whose commit had not happened before a failure is committed after the restore too.
   *
   * @param node the sink's node id
   * @param checkpointId the checkpoint the items were pre-committed for
   * @param items the committables, as its {@code TwoPhaseCommitSink} made them
   */
  public record Committables(int node, long checkpointId,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<Object> items) {
    /** Copies the list. */
    public Committables {
      items = List.copyOf(items);
    }
  }
}
