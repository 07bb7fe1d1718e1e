package io.weir.stream.internal.exec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * The stream stage that runs a subtask's {@link OperatorChain}: one input element in, the
 * elements it produced (for all output ports) out as one list. It pulls the next input only
 * once the previous output was taken, so a slow downstream slows the subtask and memory stays
 * bounded. Processing-time timers, state expiry and periodic watermarks run on the stage's own
 * timers, between elements, so user code is only ever called by one thread at a time.
 *
 * <p>Checkpoints: a source vertex takes its snapshot when the job master triggers one through
 * the materialized {@link Control}; any other vertex when the checkpoint's barrier has arrived on
 * every open channel. In exactly-once mode a channel whose barrier came first is blocked — its
 * elements, later barriers included, are held back — until the others' barriers arrive
 * (alignment), so concurrent checkpoints complete in order; in at-least-once mode nothing is
 * held and each checkpoint's barriers are counted apart. The snapshot goes to
 * {@code checkpoints}, the barrier on to every port.
 *
 * <p>Turns: the graph runs in one actor, and what must reach it from outside (a checkpoint's
 * trigger, a completed checkpoint, a cancel through the kill switch) waits in that actor's
 * mailbox. So the stage gives the actor back after about {@value #TURN_MILLIS} ms of work: it
 * stops inside a batch if need be (a source's position and keyed state are kept per record, so
 * a checkpoint may fall between two parts of a batch) and goes on from a callback of its own,
 * which queues behind what waits. A source chained with slow user code still checkpoints and
 * stops promptly.
 *
 * <p>The stage completes after the chain's input ended and everything was emitted; with a
 * two-phase-commit sink in a checkpointed job, once the final checkpoint (one triggered after the
 * end) completed and the sink committed. For a source
 * vertex (no input channels), the completion of its source is the end of input. A failure of
 * user code fails the stage with the {@link OperatorException}.
 */
public final class SubtaskStage extends AbstractGraphStageWithMaterializedValue<
    FlowShape<StreamElement, List<Routed>>, SubtaskStage.Control> {
  private static final String PROCESSING_TIMER = "processing-time";
  private static final String STATE_CLEANUP = "state-cleanup";
  private static final String WATERMARKS = "watermarks";
  private static final long TURN_MILLIS = 20;
  private static final long TURN_NANOS = TURN_MILLIS * 1_000_000;

  /** Reaches the running stage from other threads. */
  public interface Control {
    /** Takes checkpoint {@code id} now (a source vertex); declined when the input ended. */
    void triggerCheckpoint(long id);

    /** Checkpoint {@code id} is complete: sinks commit. */
    void checkpointComplete(long id);

    /**
     * Stops the stage with {@code cause}, also after its input ended (while it waits for the
     * final checkpoint or for its output to be taken), when a kill switch upstream has no
     * stream left to fail.
     */
    void cancel(Throwable cause);
  }

  /** What the stage needs besides its chain. */
  public record Settings(LongSupplier clock, Duration cleanupInterval,
      Duration watermarkInterval, boolean aligned) {}

  /** Where snapshots (or refusals to take one) go; called on the stage's thread. */
  public interface Checkpoints {
    /** A snapshot was taken and its barrier sent; its keyed state is yet to be written out. */
    void taken(TakenSnapshot snapshot);

    /** Checkpoint {@code id} cannot be taken here, and why. */
    void declined(long id, String reason);

    /**
     * The input ended and a two-phase-commit sink waits for the final checkpoint: the stage
     * stays until a checkpoint triggered from now on (at this stage directly) completes.
     */
    void awaitingFinalCheckpoint();
  }

  private final Inlet<StreamElement> in = Inlet.create("SubtaskStage.in");
  private final Outlet<List<Routed>> out = Outlet.create("SubtaskStage.out");
  private final FlowShape<StreamElement, List<Routed>> shape = FlowShape.of(in, out);
  private final OperatorChain chain;
  private final Settings settings;
  private final Checkpoints checkpoints;

  /**
   * Creates the stage.
   *
   * @param chain the subtask's chain, not yet opened; the stage opens and closes it
   * @param settings clock, intervals and checkpointing mode
   * @param checkpoints receives this subtask's snapshots
   */
  public SubtaskStage(OperatorChain chain, Settings settings, Checkpoints checkpoints) {
    this.chain = chain;
    this.settings = settings;
    this.checkpoints = checkpoints;
  }

  @Override
  public FlowShape<StreamElement, List<Routed>> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, Control> createLogicAndMaterializedValuePair(
      Attributes attributes) {
    Logic logic = new Logic();
    Control control = new Control() {
      @Override
      public void triggerCheckpoint(long id) {
        logic.trigger.invoke(id);
      }

      @Override
      public void checkpointComplete(long id) {
        logic.complete.invoke(id);
      }

      @Override
      public void cancel(Throwable cause) {
        logic.cancel.invoke(cause);
      }
    };
    return Pair.create(logic, control);
  }

  private final class Logic extends TimerGraphStageLogic {
    final AsyncCallback<Long> trigger;
    final AsyncCallback<Long> complete;
    final AsyncCallback<Throwable> cancel;
    private final AsyncCallback<Boolean> resume;
    private final ArrayDeque<List<Routed>> pending = new ArrayDeque<>();
    private final ArrayDeque<StreamElement> held = new ArrayDeque<>();
    /** Elements taken but not yet processed: those an alignment held back, once released. */
    private final ArrayDeque<StreamElement> backlog = new ArrayDeque<>();
    /** A batch processed in part, and the index of its next record. */
    private StreamElement.Batch partial;
    private int partialNext;
    /** Time spent on input since the actor was last given back, and when this piece ends. */
    private long busyNanos;
    private long deadline;
    private boolean yielding;
    private boolean inputFinished;
    private boolean awaitingTold;
    private final boolean[] blocked;
    private final java.util.TreeMap<Long, boolean[]> counted = new java.util.TreeMap<>();
    private final java.util.TreeMap<Long, Long> alignStarts = new java.util.TreeMap<>();
    private long scheduledTimer = Long.MAX_VALUE;
    private long aligning = -1;
    private long lastBarrier = -1;
    private long alignStart;

    Logic() {
      super(shape);
      this.blocked = new boolean[chain.layout().channelCount()];
      trigger = createAsyncCallback(id -> work(() -> {
        if (chain.ended() && !chain.awaitingFinalCheckpoint()) {
          checkpoints.declined(id, "the subtask's input has ended");
        } else {
          checkpoints.taken(chain.checkpoint(id, 0));
        }
      }));
      complete = createAsyncCallback(id -> work(() -> chain.checkpointComplete(id)));
      cancel = createAsyncCallback(this::failStage);
      resume = createAsyncCallback(ignored -> work(() -> {
        yielding = false;
        busyNanos = 0;
        process(this::continuePartial);
      }));
      setHandler(in, new AbstractInHandler() {
        @Override
        public void onPush() throws Exception {
          process(() -> onElement(grab(in)));
          afterWork();
        }

        @Override
        public void onUpstreamFinish() throws Exception {
          inputFinished = true;
          if (partial == null && backlog.isEmpty()) {
            endInput();
            afterWork();
          }
        }
      });
      setHandler(out, new AbstractOutHandler() {
        @Override
        public void onPull() {
          if (!pending.isEmpty()) {
            push(out, pending.poll());
          }
          proceed();
        }
      });
    }

    /**
     * Runs input work, then what it released, within what is left of this turn; a batch not
     * done by then is left {@link #partial}. Ends the input once all of it was processed.
     */
    private void process(StreamOperator.UserCode code) throws Exception {
      long start = System.nanoTime();
      deadline = start + TURN_NANOS - busyNanos;
      code.run();
      while (partial == null && !backlog.isEmpty() && System.nanoTime() - deadline < 0) {
        onElement(backlog.poll());
      }
      busyNanos += System.nanoTime() - start;
      if (inputFinished && partial == null && backlog.isEmpty()) {
        endInput();
      }
    }

    private void continuePartial() throws Exception {
      if (partial != null) {
        StreamElement.Batch batch = partial;
        partial = null;
        processBatch(batch, partialNext);
      }
    }

    private void processBatch(StreamElement.Batch batch, int from) throws Exception {
      int next = chain.onBatch(batch, from, deadline);
      if (next < batch.timestamps().length) {
        partial = batch;
        partialNext = next;
      }
    }

    /** A source vertex's input ended: the end of its input; any other vertex's: a failure. */
    private void endInput() throws Exception {
      inputFinished = false;
      if (chain.layout().channelCount() == 0) {
        chain.endOfInput();
      } else if (!chain.ended()) {
        throw new IllegalStateException("the input of the subtask ended before all its"
            + " channels did");
      }
    }

    /** Runs work from a callback, failing the stage as user code failing in onPush would. */
    private void work(StreamOperator.UserCode code) {
      try {
        code.run();
        afterWork();
      } catch (Exception e) {
        failStage(e);
      }
    }

    private void onElement(StreamElement e) throws Exception {
      if (e instanceof StreamElement.Barrier b) {
        onBarrier(b);
      } else if (aligning >= 0 && settings.aligned() && e.channel() >= 0
          && blocked[e.channel()]) {
        held.add(e);
      } else if (e instanceof StreamElement.Batch batch) {
        processBatch(batch, 0);
      } else {
        chain.onElement(e);
        if (e instanceof StreamElement.EndOfInput) {
          if (aligning >= 0) {
            completeAlignmentIfDone();
          }
          for (Long id : List.copyOf(counted.keySet())) {
            completeCountIfDone(id);
          }
        }
      }
    }

    private void onBarrier(StreamElement.Barrier b) throws Exception {
      if (b.channel() < 0) {
        // From the vertex's own connector source, which recorded its splits at this point.
        checkpoints.taken(chain.checkpoint(b.checkpointId(), 0));
        return;
      }
      if (!settings.aligned()) {
        countBarrier(b);
        return;
      }
      if (b.checkpointId() <= lastBarrier || b.checkpointId() < aligning) {
        return;
      }
      if (b.checkpointId() > aligning) {
        // A newer checkpoint: the one being aligned was abandoned upstream. What was held back
        // came before this barrier, so it is processed first.
        if (!held.isEmpty()) {
          backlog.addFirst(b);
          releaseHeld();
          return;
        }
        java.util.Arrays.fill(blocked, false);
        aligning = b.checkpointId();
        alignStart = settings.clock().getAsLong();
      }
      blocked[b.channel()] = true;
      completeAlignmentIfDone();
    }

    private void completeAlignmentIfDone() throws Exception {
      int open = 0;
      int seen = 0;
      for (int c = 0; c < blocked.length; c++) {
        if (!chain.channelEnded(c)) {
          open++;
          if (blocked[c]) {
            seen++;
          }
        }
      }
      if (seen < open) {
        return;
      }
      long id = aligning;
      lastBarrier = id;
      aligning = -1;
      checkpoints.taken(chain.checkpoint(id, settings.clock().getAsLong() - alignStart));
      releaseHeld();
    }

    /**
     * At-least-once: nothing is held back; a checkpoint's snapshot is taken when its barrier has
     * arrived on every open channel. Several checkpoints may be counted at once; completing one
     * drops the older ones (their snapshots would be subsumed anyway).
     */
    private void countBarrier(StreamElement.Barrier b) {
      if (b.checkpointId() <= lastBarrier) {
        return;
      }
      boolean[] seen = counted.computeIfAbsent(b.checkpointId(), id -> {
        alignStarts.put(id, settings.clock().getAsLong());
        return new boolean[blocked.length];
      });
      seen[b.channel()] = true;
      completeCountIfDone(b.checkpointId());
    }

    private void completeCountIfDone(long id) {
      boolean[] seen = counted.get(id);
      if (seen == null) {
        return;
      }
      for (int c = 0; c < seen.length; c++) {
        if (!seen[c] && !chain.channelEnded(c)) {
          return;
        }
      }
      lastBarrier = id;
      long started = alignStarts.get(id);
      counted.headMap(id, true).clear();
      alignStarts.headMap(id, true).clear();
      checkpoints.taken(chain.checkpoint(id, settings.clock().getAsLong() - started));
    }

    /**
     * Unblocks every channel; what was held back is processed next, in arrival order, before
     * anything taken later.
     */
    private void releaseHeld() {
      java.util.Arrays.fill(blocked, false);
      aligning = -1;
      while (!held.isEmpty()) {
        backlog.addFirst(held.pollLast());
      }
    }

    @Override
    public void preStart() {
      chain.open();
      Duration cleanup = settings.cleanupInterval();
      scheduleWithFixedDelay(STATE_CLEANUP, cleanup, cleanup);
      if (chain.hasPeriodicWatermarks()) {
        Duration wm = settings.watermarkInterval();
        scheduleWithFixedDelay(WATERMARKS, wm, wm);
      }
    }

    @Override
    public void onTimer(Object key) throws Exception {
      if (PROCESSING_TIMER.equals(key)) {
        scheduledTimer = Long.MAX_VALUE;
        chain.onProcessingTime(settings.clock().getAsLong());
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
        long delay = Math.max(0, next - settings.clock().getAsLong());
        scheduleOnce(PROCESSING_TIMER, Duration.ofMillis(delay));
      }
      proceed();
    }

    /**
     * Asks for input only when nothing waits to be emitted (the backpressure) and everything
     * taken was processed; after a turn's worth of work, first gives the actor back.
     */
    private void proceed() {
      if (!pending.isEmpty() || yielding) {
        return;
      }
      if (partial != null || !backlog.isEmpty()
          || (busyNanos >= TURN_NANOS && !chain.ended())) {
        yielding = true;
        // Invoked from another thread, the callback is a message queued behind those waiting;
        // from this one, Pekko would run it at once, in the same turn.
        materializer().executionContext().execute(() -> resume.invoke(Boolean.TRUE));
        return;
      }
      if (chain.ended()) {
        if (!chain.awaitingFinalCheckpoint()) {
          completeStage();
        } else if (!awaitingTold) {
          awaitingTold = true;
          checkpoints.awaitingFinalCheckpoint();
        }
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
  }
}
