package io.weir.stream.internal.exec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
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
 * The stream stage that runs a subtask's {@link OperatorChain}: one input element in, the
 * elements it produced (for all output ports) out as one list. It pulls the next input only
 * once the previous output was taken, so a slow downstream slows the subtask and memory stays
 * bounded. Processing-time timers and state expiry run on the stage's own timers, between
 * elements, so user code is only ever called by one thread at a time.
 *
 * <p>The stage completes after the chain's input ended and everything was emitted. For a source
 * vertex (no input channels), the completion of its source is the end of input. A failure of
 * user code fails the stage with the {@link OperatorException}.
 */
public final class SubtaskStage extends GraphStage<FlowShape<StreamElement, List<Routed>>> {
  private static final String PROCESSING_TIMER = "processing-time";
  private static final String STATE_CLEANUP = "state-cleanup";
  private static final String WATERMARKS = "watermarks";

  private final Inlet<StreamElement> in = Inlet.create("SubtaskStage.in");
  private final Outlet<List<Routed>> out = Outlet.create("SubtaskStage.out");
  private final FlowShape<StreamElement, List<Routed>> shape = FlowShape.of(in, out);
  private final OperatorChain chain;
  private final LongSupplier clock;
  private final Duration cleanupInterval;
  private final Duration watermarkInterval;

  /**
   * Creates the stage.
   *
   * @param chain the subtask's chain, not yet opened; the stage opens and closes it
   * @param clock the processing-time clock the chain's timers use
   * @param cleanupInterval how often expired state is removed incrementally
   * @param watermarkInterval how often watermark assigners in the chain emit
   */
  public SubtaskStage(OperatorChain chain, LongSupplier clock, Duration cleanupInterval,
      Duration watermarkInterval) {
    this.chain = chain;
    this.clock = clock;
    this.cleanupInterval = cleanupInterval;
    this.watermarkInterval = watermarkInterval;
  }

  @Override
  public FlowShape<StreamElement, List<Routed>> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private final ArrayDeque<List<Routed>> pending = new ArrayDeque<>();
      private long scheduledTimer = Long.MAX_VALUE;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() throws Exception {
            chain.onElement(grab(in));
            afterWork();
          }

          @Override
          public void onUpstreamFinish() throws Exception {
            if (chain.layout().channelCount() == 0) {
              chain.endOfInput();
              afterWork();
            } else if (!chain.ended()) {
              failStage(new IllegalStateException("the input of the subtask ended before all"
                  + " its channels did"));
            }
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (!pending.isEmpty()) {
              push(out, pending.poll());
            }
            pullOrFinish();
          }
        });
      }

      @Override
      public void preStart() {
        chain.open();
        scheduleWithFixedDelay(STATE_CLEANUP, cleanupInterval, cleanupInterval);
        if (chain.hasPeriodicWatermarks()) {
          scheduleWithFixedDelay(WATERMARKS, watermarkInterval, watermarkInterval);
        }
      }

      @Override
      public void onTimer(Object key) throws Exception {
        if (PROCESSING_TIMER.equals(key)) {
          scheduledTimer = Long.MAX_VALUE;
          chain.onProcessingTime(clock.getAsLong());
        } else if (STATE_CLEANUP.equals(key)) {
          chain.cleanupExpiredState(1000);
        } else if (WATERMARKS.equals(key)) {
          chain.onPeriodicWatermark();
        }
        afterWork();
      }

      /** Queues what the chain produced, emits if asked, schedules the next timer. */
      private void afterWork() {
        List<Routed> produced = chain.drain();
        if (!produced.isEmpty()) {
          if (isAvailable(out) && pending.isEmpty()) {
            push(out, produced);
          } else {
            pending.add(produced);
          }
        }
        long next = chain.nextProcessingTime();
        if (next < scheduledTimer) {
          scheduledTimer = next;
          long delay = Math.max(0, next - clock.getAsLong());
          scheduleOnce(PROCESSING_TIMER, Duration.ofMillis(delay));
        }
        pullOrFinish();
      }

      /** Asks for input only when nothing waits to be emitted: the backpressure. */
      private void pullOrFinish() {
        if (!pending.isEmpty()) {
          return;
        }
        if (chain.ended()) {
          completeStage();
          return;
        }
        if (!isClosed(in) && !hasBeenPulled(in)) {
          pull(in);
        }
      }

      @Override
      public void postStop() {
        chain.close();
      }
    };
  }
}
