package io.weir.stream.internal.exec;

import io.weir.stream.api.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * Event time at a source: assigns each record of the source's batches its timestamp, runs a
 * watermark generator per split (log partition, or reader), and emits the combined watermark
 * and idleness as elements on channel -1 after the batches, periodically and after each batch.
 * Holds at most one batch and its control elements: it pulls only when all were taken.
 */
final class WatermarkStage extends GraphStage<FlowShape<StreamElement, StreamElement>> {
  private static final String PERIODIC = "periodic";

  private final Inlet<StreamElement> in = Inlet.create("WatermarkStage.in");
  private final Outlet<StreamElement> out = Outlet.create("WatermarkStage.out");
  private final FlowShape<StreamElement, StreamElement> shape = FlowShape.of(in, out);
  private final WatermarkStrategy<?> strategy;
  private final Function<Object, String> splitOf;
  private final List<String> splits;
  private final Duration interval;
  private final LongSupplier clock;

  /**
   * Creates the stage.
   *
   * @param strategy the source's strategy
   * @param splitOf the split a record came from
   * @param splits the splits known at the start (they hold event time back until they have
   *     records or go idle)
   * @param interval how often the generators emit periodically
   * @param clock processing time, for idleness
   */
  WatermarkStage(WatermarkStrategy<?> strategy, Function<Object, String> splitOf,
      List<String> splits, Duration interval, LongSupplier clock) {
    this.strategy = strategy;
    this.splitOf = splitOf;
    this.splits = List.copyOf(splits);
    this.interval = interval;
    this.clock = clock;
  }

  @Override
  public FlowShape<StreamElement, StreamElement> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private final WatermarkTracker tracker = new WatermarkTracker(strategy, clock);
      private final ArrayDeque<StreamElement> pending = new ArrayDeque<>();
      private final WatermarkTracker.Changes changes = new WatermarkTracker.Changes() {
        @Override
        public void watermark(long watermark) {
          pending.add(new StreamElement.Watermark(-1, watermark));
        }

        @Override
        public void idle(boolean idle) {
          pending.add(new StreamElement.ChannelStatus(-1, idle));
        }
      };

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            StreamElement e = grab(in);
            if (e instanceof StreamElement.Batch b) {
              long[] ts = b.timestamps().clone();
              for (int i = 0; i < ts.length; i++) {
                Object v = b.values().get(i);
                ts[i] = tracker.onRecord(splitOf.apply(v), v, ts[i]);
              }
              pending.add(new StreamElement.Batch(b.channel(), b.values(), ts));
              tracker.flush(changes);
            } else {
              pending.add(e);
            }
            drain();
          }

          @Override
          public void onUpstreamFinish() {
            if (pending.isEmpty()) {
              completeStage();
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            drain();
          }
        });
      }

      @Override
      public void preStart() {
        splits.forEach(tracker::addSplit);
        scheduleWithFixedDelay(PERIODIC, interval, interval);
      }

      @Override
      public void onTimer(Object key) {
        tracker.onPeriodic();
        tracker.flush(changes);
        drain();
      }

      private void drain() {
        if (isAvailable(out) && !pending.isEmpty()) {
          push(out, pending.poll());
        }
        if (pending.isEmpty()) {
          if (isClosed(in)) {
            completeStage();
          } else if (!hasBeenPulled(in)) {
            pull(in);
          }
        }
      }
    };
  }
}
