package io.weir.connectors.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.connectors.postgres.PgEnumeratorState;
import io.weir.connectors.postgres.PgSplit;
import io.weir.stream.api.source.SplitEnumeratorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The one split goes to reader 0 only, comes back after a failure, and is in the checkpoint. */
class PgCdcEnumeratorTest {
  private final List<String> calls = new ArrayList<>();
  private final SplitEnumeratorContext<PgSplit> context = new SplitEnumeratorContext<>() {
    @Override
    public int currentParallelism() {
      return 2;
    }

    @Override
    public Set<Integer> registeredReaders() {
      return Set.of(0, 1);
    }

    @Override
    public void assignSplits(Map<Integer, List<PgSplit>> assignment) {
      calls.add("assign " + assignment);
    }

    @Override
    public void signalNoMoreSplits(int subtaskId) {
      calls.add("no more " + subtaskId);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {}

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler,
        long initialDelayMillis, long periodMillis) {}
  };

  @Test
  void unboundedHandsTheSplitToReaderZeroOnlyAndTakesItBack() {
    PgSplit split = PgSplit.fresh("slot");
    PgCdcEnumerator enumerator = new PgCdcEnumerator(context, List.of(split), false);
    enumerator.handleSplitRequest(1);
    assertEquals(new PgEnumeratorState(List.of(split)), enumerator.snapshotState(1));
    enumerator.handleSplitRequest(0);
    assertEquals(List.of("assign {0=[" + split + "]}"), calls);
    assertEquals(new PgEnumeratorState(List.of()), enumerator.snapshotState(2));
    PgSplit back = new PgSplit("slot", true, 100, 0, 0);
    enumerator.addSplitsBack(List.of(back), 0);
    assertEquals(new PgEnumeratorState(List.of(back)), enumerator.snapshotState(3));
    enumerator.handleSplitRequest(0);
    assertEquals("assign {0=[" + back + "]}", calls.get(1));
  }

  @Test
  void boundedTellsEveryReaderNoMoreSplitsComeAfterItsAnswer() {
    PgCdcEnumerator enumerator = new PgCdcEnumerator(context, List.of(PgSplit.fresh("s")), true);
    enumerator.handleSplitRequest(1);
    enumerator.handleSplitRequest(0);
    assertEquals(List.of("no more 1", "assign {0=[" + PgSplit.fresh("s") + "]}", "no more 0"),
        calls);
  }
}
