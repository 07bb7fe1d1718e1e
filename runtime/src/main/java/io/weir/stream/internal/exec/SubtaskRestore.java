package io.weir.stream.internal.exec;

import io.weir.api.CborSerializable;
import io.weir.stream.internal.state.KeyGroupSnapshot;
import java.util.List;

/**
 * What a subtask of a new attempt starts from: the part of a completed checkpoint that is its
 * own. Keyed state comes by key group (from whichever old subtasks held them, so the
 * parallelism may differ), a source's position is merged over the old subtasks of its vertex,
 * and the sinks' committables are committed again (commits are idempotent).
 *
 * @param checkpointId the checkpoint restored
 * @param keyGroups the key groups of this subtask's range that had state
 * @param source the source position to resume from; null for none
 * @param committables the sinks' committables of the checkpoint, to commit again
 * @param finished whether the subtask had finished at the checkpoint: it processes nothing and
 *     passes the end of input on once its inputs end
 */
public record SubtaskRestore(long checkpointId, List<KeyGroupSnapshot> keyGroups,
    SubtaskSnapshot.SourcePosition source, List<SubtaskSnapshot.Committables> committables,
    boolean finished) implements CborSerializable {
  /** Copies the lists. */
  public SubtaskRestore {
    keyGroups = List.copyOf(keyGroups);
    committables = List.copyOf(committables);
  }

  /** The restore of a subtask that was running. */
  public SubtaskRestore(long checkpointId, List<KeyGroupSnapshot> keyGroups,
      SubtaskSnapshot.SourcePosition source, List<SubtaskSnapshot.Committables> committables) {
    this(checkpointId, keyGroups, source, committables, false);
  }
}
