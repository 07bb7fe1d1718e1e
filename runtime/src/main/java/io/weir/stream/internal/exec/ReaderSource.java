package io.weir.stream.internal.exec;

import io.weir.stream.api.source.InputStatus;
import io.weir.stream.api.source.ReaderOutput;
import io.weir.stream.api.source.SourceReader;
import io.weir.stream.api.source.SourceSplit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;

/**
 * Drives a connector's {@link SourceReader} as a Pekko Streams source of batches: each pull
 * polls the reader once and emits what it produced as one batch. When the reader has nothing,
 * the stage waits for its {@link SourceReader#isAvailable()} future instead of polling again, so
 * an idle source costs nothing. Splits from the enumerator arrive through the materialized
 * {@link Control}, from any thread; the reader only ever sees the stage's thread.
 *
 * <p>The stage completes when the reader reports {@link InputStatus#END_OF_INPUT}, and fails,
 * with an {@link OperatorException} naming the source, when the reader throws.
 */
public final class ReaderSource
    extends AbstractGraphStageWithMaterializedValue<SourceShape<StreamElement>, ReaderSource.Control> {
  /** At most this many empty polls answered MORE_AVAILABLE before the stage yields. */
  private static final int SPINS = 64;

  /** Hands splits to the running reader; thread-safe. */
  public interface Control {
    /** Splits assigned by the enumerator. */
    void addSplits(List<SourceSplit> splits);

    /** The enumerator will assign no more splits. */
    void noMoreSplits();

    /**
     * Checkpoint {@code id}: the reader's splits are recorded (see the constructor's
     * {@code onSplits}) and a barrier follows everything emitted before.
     */
    void triggerCheckpoint(long id);

    /** Checkpoint {@code id} completed: the reader may commit positions externally. */
    void checkpointComplete(long id);
  }

  private final Outlet<StreamElement> out = Outlet.create("ReaderSource.out");
  private final SourceShape<StreamElement> shape = SourceShape.of(out);
  private final String name;
  private final SourceReader<Object, SourceSplit> reader;
  private final java.util.function.BiConsumer<Long, List<SourceSplit>> onSplits;

  /**
   * Creates the stage.
   *
   * @param name the source operator's name, for failures
   * @param reader the reader, not yet started; the stage starts and closes it
   * @param onSplits receives, on the stage's thread, the splits the reader snapshotted for a
   *     checkpoint, just before the checkpoint's barrier is emitted
   */
  @SuppressWarnings("unchecked")
  public ReaderSource(String name, SourceReader<?, ?> reader,
      java.util.function.BiConsumer<Long, List<SourceSplit>> onSplits) {
    this.name = Objects.requireNonNull(name, "name");
    this.reader = (SourceReader<Object, SourceSplit>) Objects.requireNonNull(reader, "reader");
    this.onSplits = Objects.requireNonNull(onSplits, "onSplits");
  }

  @Override
  public SourceShape<StreamElement> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, Control> createLogicAndMaterializedValuePair(
      Attributes attributes) {
    Logic logic = new Logic();
    Control control = new Control() {
      @Override
      public void addSplits(List<SourceSplit> splits) {
        List<SourceSplit> copy = List.copyOf(splits);
        logic.deliver(() -> logic.onAddedSplits(copy));
      }

      @Override
      public void noMoreSplits() {
        logic.deliver(logic::onNoMoreSplits);
      }

      @Override
      public void triggerCheckpoint(long id) {
        logic.deliver(() -> logic.onTrigger(id));
      }

      @Override
      public void checkpointComplete(long id) {
        logic.deliver(() -> logic.onComplete(id));
      }
    };
    return Pair.create(logic, control);
  }

  private final class Logic extends GraphStageLogic implements ReaderOutput<Object> {
    /**
     * What the subtask entity tells the reader (splits, no more splits, checkpoint triggers and
     * completions), in the order it tells it. One queue drained by one callback, because Pekko
     * may run callbacks invoked while the stage starts out of order: a "no more splits" ahead of
     * the splits before it ended a bounded reader that had read nothing.
     */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> inbox =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AsyncCallback<Boolean> drain;
    private final AsyncCallback<Boolean> available;
    private final java.util.ArrayDeque<StreamElement> barriers = new java.util.ArrayDeque<>();
    private boolean ended;
    private List<Object> values = new ArrayList<>();
    private long[] timestamps = new long[16];
    private boolean waiting;

    Logic() {
      super(shape);
      drain = createAsyncCallback(b -> {
        for (Runnable next = inbox.poll(); next != null && !isClosed(out);
            next = inbox.poll()) {
          next.run();
        }
      });
      available = createAsyncCallback(b -> {
        waiting = false;
        if (isAvailable(out)) {
          poll();
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          if (!barriers.isEmpty()) {
            push(out, barriers.poll());
            if (ended && barriers.isEmpty()) {
              completeStage();
            }
          } else if (!waiting && !ended) {
            poll();
          }
        }
      });
    }

    /** Queues {@code event} for the stage's thread, behind everything queued before. */
    void deliver(Runnable event) {
      inbox.add(event);
      drain.invoke(Boolean.TRUE);
    }

    void onAddedSplits(List<SourceSplit> added) {
      guard(() -> reader.addSplits(added));
    }

    void onNoMoreSplits() {
      guard(reader::notifyNoMoreSplits);
    }

    void onTrigger(long id) {
      guard(() -> {
        onSplits.accept(id, List.copyOf(reader.snapshotState(id)));
        barriers.add(new StreamElement.Barrier(-1, id));
        if (isAvailable(out)) {
          push(out, barriers.poll());
        }
      });
    }

    void onComplete(long id) {
      guard(() -> reader.notifyCheckpointComplete(id));
    }

    @Override
    public void preStart() {
      guard(reader::start);
    }

    private void poll() {
      for (int spin = 0; spin < SPINS; spin++) {
        InputStatus status;
        try {
          status = reader.pollNext(this);
        } catch (Exception e) {
          failStage(new OperatorException(name, e));
          return;
        }
        boolean emitted = emit();
        if (status == InputStatus.END_OF_INPUT) {
          ended = true;
          if (barriers.isEmpty()) {
            completeStage();
          }
          return;
        }
        if (status == InputStatus.NOTHING_AVAILABLE) {
          if (!emitted) {
            waiting = true;
            reader.isAvailable().whenComplete((v, e) -> available.invoke(Boolean.TRUE));
          }
          return;
        }
        if (emitted) {
          return;
        }
      }
      // The reader keeps saying there is more without emitting: give other stages a turn.
      waiting = true;
      available.invoke(Boolean.TRUE);
    }

    private boolean emit() {
      if (values.isEmpty()) {
        return false;
      }
      push(out, new StreamElement.Batch(-1, values, Arrays.copyOf(timestamps, values.size())));
      values = new ArrayList<>();
      return true;
    }

    @Override
    public void collect(Object element) {
      collect(element, StreamElement.NO_TIMESTAMP);
    }

    @Override
    public void collect(Object element, long timestamp) {
      if (element == null) {
        throw new NullPointerException("source '" + name + "' emitted null");
      }
      int n = values.size();
      if (n == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, Math.max(16, n * 2));
      }
      values.add(element);
      timestamps[n] = timestamp;
    }

    private void guard(StreamOperator.UserCode code) {
      try {
        code.run();
      } catch (Exception e) {
        failStage(new OperatorException(name, e));
      }
    }

    @Override
    public void postStop() {
      try {
        reader.close();
      } catch (Exception e) {
        // Closing after the end or a failure: nothing more to report than what ended it.
      }
    }
  }
}
