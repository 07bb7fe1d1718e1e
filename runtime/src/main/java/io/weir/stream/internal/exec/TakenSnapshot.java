package io.weir.stream.internal.exec;

import io.weir.stream.internal.state.KeyGroupSnapshot;
import java.util.List;
import java.util.function.Supplier;

/**
 * A subtask's snapshot as its barrier left it: everything but the keyed state is in
 * {@code snapshot}; the keyed state was frozen copy-on-write at the barrier and is written out by
 * {@code keyGroups}, off the record path, on whichever thread completes it.
 *
 * @param snapshot the snapshot without its key groups
 * @param keyGroups makes the key group snapshots of the state as the barrier found it
 */
public record TakenSnapshot(SubtaskSnapshot snapshot,
    Supplier<List<KeyGroupSnapshot>> keyGroups) {
  /** The whole snapshot: writes the keyed state out (once per call). */
  public SubtaskSnapshot complete() {
    SubtaskSnapshot s = snapshot;
    return new SubtaskSnapshot(s.checkpointId(), s.vertex(), s.subtask(), keyGroups.get(),
        s.source(), s.committables(), s.alignmentMillis(), s.finished());
  }
}
