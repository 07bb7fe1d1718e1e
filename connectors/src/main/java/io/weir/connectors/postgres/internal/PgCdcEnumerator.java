package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.PgEnumeratorState;
import io.weir.connectors.postgres.PgSplit;
import io.weir.stream.api.source.SplitEnumerator;
import io.weir.stream.api.source.SplitEnumeratorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hands the source's one split (the slot) to reader 0 when it asks. Other readers get nothing;
 * in a bounded source they are told at once that no split will come.
 */
public final class PgCdcEnumerator implements SplitEnumerator<PgSplit, PgEnumeratorState> {
  private final SplitEnumeratorContext<PgSplit> context;
  private final List<PgSplit> unassigned;
  private final boolean bounded;

  /**
   * @param context the link to the readers
   * @param unassigned the split not yet handed out (empty after a restore that had assigned it)
   * @param bounded whether readers are told when no more splits come
   */
  public PgCdcEnumerator(SplitEnumeratorContext<PgSplit> context, List<PgSplit> unassigned,
      boolean bounded) {
    this.context = context;
    this.unassigned = new ArrayList<>(unassigned);
    this.bounded = bounded;
  }

  @Override
  public void start() {}

  @Override
  public void handleSplitRequest(int subtaskId) {
    if (subtaskId == 0 && !unassigned.isEmpty()) {
      context.assignSplits(Map.of(0, List.copyOf(unassigned)));
      unassigned.clear();
    }
    if (bounded) {
      context.signalNoMoreSplits(subtaskId);
    }
  }

  @Override
  public void addSplitsBack(List<PgSplit> splits, int subtaskId) {
    unassigned.addAll(splits);
  }

  @Override
  public void addReader(int subtaskId) {}

  @Override
  public PgEnumeratorState snapshotState(long checkpointId) {
    return new PgEnumeratorState(unassigned);
  }

  @Override
  public void close() {}
}
