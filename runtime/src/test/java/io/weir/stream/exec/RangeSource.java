package io.weir.stream.exec;

import io.weir.stream.api.source.Boundedness;
import io.weir.stream.api.source.InputStatus;
import io.weir.stream.api.source.ReaderOutput;
import io.weir.stream.api.source.Source;
import io.weir.stream.api.source.SourceReader;
import io.weir.stream.api.source.SourceReaderContext;
import io.weir.stream.api.source.SourceSplit;
import io.weir.stream.api.source.SplitEnumerator;
import io.weir.stream.api.source.SplitEnumeratorContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A test connector in the FLIP-27 manner: the numbers 0 to count - 1 in splits of
 * {@code splitSize}, discovered asynchronously by the enumerator and handed out on request.
 * With {@code failAt} ≥ 0, the enumerator throws when asked for the split with that index.
 *
 * @param count how many numbers
 * @param splitSize numbers per split
 * @param failAt the split index whose request fails; -1 for none
 */
public record RangeSource(long count, long splitSize, int failAt)
    implements Source<Long, RangeSource.Range, RangeSource.Pending> {

  /** A range of numbers, with the next one to read. */
  public record Range(String splitId, long next, long end) implements SourceSplit {}

  /** The enumerator's checkpoint: the splits not yet handed out. */
  public record Pending(List<Range> ranges) {}

  @Override
  public Boundedness boundedness() {
    return Boundedness.BOUNDED;
  }

  @Override
  public SplitEnumerator<Range, Pending> createEnumerator(SplitEnumeratorContext<Range> context) {
    return new Enumerator(context, null);
  }

  @Override
  public SplitEnumerator<Range, Pending> restoreEnumerator(SplitEnumeratorContext<Range> context,
      Pending checkpoint) {
    return new Enumerator(context, checkpoint.ranges());
  }

  @Override
  public SourceReader<Long, Range> createReader(SourceReaderContext context) {
    return new Reader(context);
  }

  @Override
  public Class<Pending> checkpointType() {
    return Pending.class;
  }

  @Override
  public Class<Range> splitType() {
    return Range.class;
  }

  private final class Enumerator implements SplitEnumerator<Range, Pending> {
    private final SplitEnumeratorContext<Range> context;
    private final Deque<Range> pending = new ArrayDeque<>();
    private final Deque<Integer> waiting = new ArrayDeque<>();
    private boolean discovered;
    private int handedOut;

    Enumerator(SplitEnumeratorContext<Range> context, List<Range> restored) {
      this.context = context;
      if (restored != null) {
        pending.addAll(restored);
        discovered = true;
      }
    }

    @Override
    public void start() {
      if (discovered) {
        return;
      }
      context.callAsync(() -> {
        List<Range> ranges = new ArrayList<>();
        for (long start = 0; start < count; start += splitSize) {
          ranges.add(new Range("range-" + start, start, Math.min(count, start + splitSize)));
        }
        return ranges;
      }, (ranges, failure) -> {
        if (failure != null) {
          throw new IllegalStateException(failure);
        }
        pending.addAll(ranges);
        discovered = true;
        while (!waiting.isEmpty()) {
          handleSplitRequest(waiting.poll());
        }
      });
    }

    @Override
    public void handleSplitRequest(int subtaskId) {
      if (!discovered) {
        waiting.add(subtaskId);
        return;
      }
      Range next = pending.poll();
      if (next == null) {
        context.signalNoMoreSplits(subtaskId);
        return;
      }
      if (handedOut++ == failAt) {
        throw new IllegalStateException("split " + failAt + " cannot be handed out");
      }
      context.assignSplits(Map.of(subtaskId, List.of(next)));
    }

    @Override
    public void addSplitsBack(List<Range> splits, int subtaskId) {
      pending.addAll(splits);
    }

    @Override
    public void addReader(int subtaskId) {}

    @Override
    public Pending snapshotState(long checkpointId) {
      return new Pending(List.copyOf(pending));
    }

    @Override
    public void close() {}
  }

  private static final class Reader implements SourceReader<Long, Range> {
    private final SourceReaderContext context;
    private final Deque<Range> splits = new ArrayDeque<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMore;

    Reader(SourceReaderContext context) {
      this.context = context;
    }

    @Override
    public void start() {
      context.sendSplitRequest();
    }

    @Override
    public InputStatus pollNext(ReaderOutput<Long> output) {
      Range current = splits.peek();
      if (current == null) {
        if (noMore) {
          return InputStatus.END_OF_INPUT;
        }
        return InputStatus.NOTHING_AVAILABLE;
      }
      long stop = Math.min(current.end(), current.next() + 100);
      for (long i = current.next(); i < stop; i++) {
        output.collect(i, i);
      }
      splits.poll();
      if (stop < current.end()) {
        splits.push(new Range(current.splitId(), stop, current.end()));
      } else {
        context.sendSplitRequest();
      }
      return splits.isEmpty() ? InputStatus.NOTHING_AVAILABLE : InputStatus.MORE_AVAILABLE;
    }

    @Override
    public CompletionStage<Void> isAvailable() {
      if (!splits.isEmpty() || noMore) {
        return CompletableFuture.completedFuture(null);
      }
      if (available.isDone()) {
        available = new CompletableFuture<>();
      }
      return available;
    }

    @Override
    public void addSplits(List<Range> added) {
      splits.addAll(added);
      available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
      noMore = true;
      available.complete(null);
    }

    @Override
    public List<Range> snapshotState(long checkpointId) {
      return List.copyOf(splits);
    }

    @Override
    public void close() {}
  }
}
