package io.weir.stream.internal.exec;

import io.micrometer.core.instrument.MeterRegistry;
import io.weir.log.api.Log;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.TimeDomain;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.state.State;
import io.weir.stream.api.state.StateDescriptor;
import io.weir.stream.internal.ChainEdge;
import io.weir.stream.internal.ChainedOperator;
import io.weir.stream.internal.JobEdge;
import io.weir.stream.internal.JobGraph;
import io.weir.stream.internal.JobVertex;
import io.weir.stream.internal.KeyGroupRange;
import io.weir.stream.internal.KeyRouter;
import io.weir.stream.internal.Partitioning;
import io.weir.stream.internal.PlannedJob;
import io.weir.stream.internal.SinkSpec;
import io.weir.stream.internal.StreamNode;
import io.weir.stream.internal.state.InternalTimers;
import io.weir.stream.internal.state.KeyedStateBackend;
import io.weir.stream.internal.state.KeyedTimerService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One subtask's chain of operators at run time: takes the elements arriving on its input
 * channels, calls the operators (a method call per record, never a message), and collects what
 * leaves the vertex per output port. Owns the subtask's keyed state and timers when its head is
 * keyed, combines watermarks across channels (the minimum), and counts ended channels.
 *
 * <p>Single-threaded: driven by the subtask's stream stage ({@link SubtaskStage}).
 */
public final class OperatorChain {
  /** How many records a batch's part has at least: the clock is read once per this many. */
  private static final int RECORDS_PER_CLOCK_CHECK = 8;

  private final MeterRegistry metrics;
  private final JobGraph graph;
  private final JobVertex vertex;
  private final int subtask;
  private final ExchangeLayout layout;
  private final PortBuffers buffers;
  private final List<StreamOperator> operators = new ArrayList<>();
  private final Map<Integer, StreamOperator> byNode = new HashMap<>();
  private final StreamOperator head;
  private final KeyRouter<Object>[] channelKeys;
  private final int[] channelInput;
  private final long[] channelWatermarks;
  private final boolean[] channelEnded;
  private final boolean[] channelIdle;
  private final boolean periodicWatermarks;
  private boolean idle;
  private final KeyedStateBackend state;
  private final InternalTimers timers;
  private int endedChannels;
  private long watermark = Long.MIN_VALUE;
  private boolean ended;
  /** Restored from a checkpoint it had finished in: processes nothing, passes the end on. */
  private boolean restoredFinished;
  /** The checkpoint taken after the end of input, which two-phase sinks wait for; or -1. */
  private long finalCheckpointId = -1;
  private boolean finalCommitted;
  /** See {@link #endAttemptAt}; {@code Long.MAX_VALUE} while the attempt goes on. */
  private volatile long attemptEndsAt = Long.MAX_VALUE;

  /**
   * Builds the chain of one subtask; nothing runs until {@link #open}.
   *
   * @param job the planned job, with this node's instances of the user functions
   * @param vertexId the subtask's vertex
   * @param subtask the subtask's index
   * @param log for the log sinks
   * @param clock the processing-time clock, epoch milliseconds
   * @param maxBatch the most records in one batch sent to an exchange
   * @param metrics where the operators' metrics go
   * @throws Exception when a sink writer cannot be created
   */
  @SuppressWarnings("unchecked")
  public OperatorChain(PlannedJob job, String vertexId, int subtask, Log log, LongSupplier clock,
      int maxBatch, MeterRegistry metrics) throws Exception {
    this.metrics = metrics;
    this.graph = job.jobGraph();
    this.vertex = graph.vertex(vertexId);
    this.subtask = subtask;
    this.layout = ExchangeLayout.of(graph, vertexId, subtask);
    this.buffers = new PortBuffers(layout, maxBatch);
    boolean keyed = graph.isKeyed(vertexId);
    KeyGroupRange range = keyed ? graph.keyGroupRange(vertexId, subtask) : null;
    this.state = keyed ? new KeyedStateBackend(range, graph.maxParallelism(), clock) : null;
    this.timers = keyed ? new InternalTimers(range, graph.maxParallelism()) : null;
    KeyedTimerService timerService = keyed
        ? new KeyedTimerService(state, timers, clock, () -> watermark) : null;
    for (ChainedOperator op : vertex.operators()) {
      StreamNode node = job.streamGraph().node(op.nodeId());
      StreamOperator created = create(node, log, timerService, clock);
      operators.add(created);
      byNode.put(op.nodeId(), created);
    }
    this.head = operators.get(0);
    for (ChainEdge e : vertex.chainEdges()) {
      StreamOperator target = byNode.get(e.target());
      byNode.get(e.source()).out.addTarget(e.sideOutput(), target);
    }
    for (int i = 0; i < layout.outputs().size(); i++) {
      JobEdge edge = layout.outputs().get(i);
      KeyRouter<Object> router = edge.partitioning() == Partitioning.HASH
          ? job.keyRouter(edge) : null;
      ExchangeWriter writer = new ExchangeWriter(buffers, layout, i, subtask,
          graph.vertex(edge.targetVertex()).parallelism(), router);
      byNode.get(edge.sourceNode()).out.addTarget(edge.sideOutput(), writer);
    }
    int channels = layout.channelCount();
    this.channelKeys = new KeyRouter[channels];
    this.channelInput = new int[channels];
    for (int c = 0; c < channels; c++) {
      JobEdge in = layout.inputs().get(layout.inputEdgeOf(c));
      channelInput[c] = in.targetInput();
      channelKeys[c] = in.partitioning() == Partitioning.HASH ? job.keyRouter(in) : null;
    }
    this.channelWatermarks = new long[channels];
    Arrays.fill(channelWatermarks, Long.MIN_VALUE);
    this.channelEnded = new boolean[channels];
    this.channelIdle = new boolean[channels];
    this.periodicWatermarks = operators.stream().anyMatch(o -> o instanceof Operators.Timestamps);
    if (graph.execution().checkpoints() != null) {
      operators.forEach(o -> {
        if (o instanceof Operators.Sink sink) {
          sink.awaitFinalCheckpoint();
        }
      });
    }
  }

  private StreamOperator create(StreamNode node, Log log, KeyedTimerService timerService,
      LongSupplier clock) throws Exception {
    String name = node.name();
    Object fn = node.operator();
    return switch (node.kind()) {
      case SOURCE -> new Operators.SourceHead(name);
      case MAP -> new Operators.Map(name, fn);
      case FLAT_MAP -> new Operators.FlatMap(name, fn);
      case FILTER -> new Operators.Filter(name, fn);
      case PROCESS -> new Operators.Process(name, fn);
      case CO_PROCESS -> new Operators.CoProcess(name, fn);
      case KEYED_PROCESS -> new Operators.KeyedProcess(name, fn, state::currentKey, timerService);
      case TIMESTAMPS -> new Operators.Timestamps(name, fn, clock);
      case REDUCE -> new Operators.Reduce(name, fn);
      case SINK -> new Operators.Sink(name, SinkWriters.create((SinkSpec) fn,
          sinkContext(), log), SinkWriters.committer((SinkSpec) fn, sinkContext(), log),
          fn instanceof SinkSpec.CommittableWriter);
    };
  }

  private SinkContext sinkContext() {
    return new SinkContext() {
      @Override
      public String jobName() {
        return graph.jobName();
      }

      @Override
      public int subtaskIndex() {
        return subtask;
      }

      @Override
      public int parallelism() {
        return vertex.parallelism();
      }
    };
  }

  /** Opens every operator's function, head first; only the head gets keyed state. */
  public void open() {
    for (StreamOperator op : operators) {
      op.open(new Context(op.name, op == head ? state : null));
    }
  }

  /** The subtask's layout of channels and ports. */
  public ExchangeLayout layout() {
    return layout;
  }

  /**
   * Takes one arriving element: a batch is processed record by record, a watermark may advance
   * the subtask's event time (firing timers), an end of input is counted.
   *
   * @param element from a channel, or from the vertex's own source (channel -1)
   * @throws OperatorException when user code fails
   */
  public void onElement(StreamElement element) throws Exception {
    if (restoredFinished && !(element instanceof StreamElement.EndOfInput)) {
      return;
    }
    if (element instanceof StreamElement.Batch batch) {
      onBatch(batch, 0, Long.MAX_VALUE);
    } else if (element instanceof StreamElement.Watermark w) {
      if (w.channel() < 0) {
        advanceWatermark(w.timestamp());
      } else {
        channelWatermarks[w.channel()] = Math.max(channelWatermarks[w.channel()], w.timestamp());
        combineChannels();
      }
    } else if (element instanceof StreamElement.ChannelStatus s) {
      if (s.channel() < 0) {
        setIdle(s.idle());
      } else {
        channelIdle[s.channel()] = s.idle();
        combineChannels();
      }
    } else if (element instanceof StreamElement.EndOfInput e) {
      if (!channelEnded[e.channel()]) {
        channelEnded[e.channel()] = true;
        endedChannels++;
        channelWatermarks[e.channel()] = Long.MAX_VALUE;
        channelIdle[e.channel()] = false;
        combineChannels();
      }
      if (endedChannels == channelEnded.length) {
        endOfInput();
      }
    }
  }

  /**
   * Processes the records of a batch from index {@code from} on, stopping early once
   * {@code deadline} has passed (checked every {@value #RECORDS_PER_CLOCK_CHECK} records, so at
   * least that many are processed). A source's position and the keyed state are kept per record,
   * so a checkpoint may be taken between two parts of a batch.
   *
   * @param batch from a channel, or from the vertex's own source (channel -1)
   * @param from the index of the first record to process
   * @param deadline a {@link System#nanoTime()} after which to stop; {@link Long#MAX_VALUE} never
   * @return the index of the next record to process: the batch's size when it is done
   * @throws OperatorException when user code fails
   */
  public int onBatch(StreamElement.Batch batch, int from, long deadline) throws Exception {
    if (restoredFinished) {
      return batch.timestamps().length;
    }
    int c = batch.channel();
    KeyRouter<Object> keys = c < 0 ? null : channelKeys[c];
    int input = c < 0 ? 0 : channelInput[c];
    List<Object> values = batch.values();
    long[] ts = batch.timestamps();
    int i = from;
    while (i < ts.length) {
      Object v = values.get(i);
      if (keys != null) {
        state.setCurrentKey(keys.keyOf(v));
      }
      head.process(input, v, ts[i]);
      i++;
      if ((i - from) % RECORDS_PER_CLOCK_CHECK == 0 && i < ts.length
          && deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
        break;
      }
    }
    if (timers != null && timers.nextEventTime() <= watermark) {
      // Timers registered for a time the watermark has passed fire now, not a watermark later.
      timers.advanceWatermark(watermark, this::fire);
    }
    return i;
  }

  /**
   * The subtask's event time is the minimum over its channels that are not idle; when every
   * channel still open is idle, the subtask is idle and says so downstream.
   */
  private void combineChannels() throws Exception {
    long min = Long.MAX_VALUE;
    boolean allIdle = true;
    for (int c = 0; c < channelWatermarks.length; c++) {
      if (!channelIdle[c]) {
        allIdle = false;
        min = Math.min(min, channelWatermarks[c]);
      }
    }
    setIdle(allIdle);
    if (!allIdle) {
      advanceWatermark(min);
    }
  }

  private void setIdle(boolean nowIdle) {
    if (nowIdle != idle) {
      idle = nowIdle;
      head.status(nowIdle);
    }
  }

  private void advanceWatermark(long to) throws Exception {
    if (to <= watermark) {
      return;
    }
    watermark = to;
    if (timers != null) {
      timers.advanceWatermark(to, this::fire);
    }
    head.watermark(to);
  }

  private void fire(Object key, long time, TimeDomain domain) {
    state.setCurrentKey(key);
    head.onTimer(time, domain);
  }

  /**
   * Every input has ended (or a source vertex's source completed): event time goes to the end,
   * firing every event-time timer, sinks make their writes durable, and the end is sent on.
   */
  public void endOfInput() throws Exception {
    if (ended) {
      return;
    }
    ended = true;
    if (restoredFinished) {
      // Its operators saw the end before the checkpoint: only the downstream learns of it.
      buffers.broadcast(StreamElement.EndOfInput::new);
      return;
    }
    advanceWatermark(Long.MAX_VALUE);
    for (StreamOperator op : operators) {
      op.endOfInput();
    }
    buffers.broadcast(StreamElement.EndOfInput::new);
  }

  /** Whether input channel {@code c} has ended. */
  public boolean channelEnded(int c) {
    return channelEnded[c];
  }

  /** Whether every input has ended. */
  public boolean ended() {
    return ended;
  }

  /**
   * Whether the input ended and a two-phase-commit sink waits for a checkpoint taken since then
   * to complete (the final checkpoint), before the subtask may finish.
   */
  public boolean awaitingFinalCheckpoint() {
    return ended && !restoredFinished && !finalCommitted && graph.execution().checkpoints() != null
        && operators.stream().anyMatch(o -> o instanceof Operators.Sink sink && sink.twoPhase());
  }

  /** Whether it was restored from a checkpoint it had finished in. */
  public boolean restoredFinished() {
    return restoredFinished;
  }

  /**
   * The snapshot of a subtask that finished, which stands for it in the job's later checkpoints:
   * no state (it will process nothing), what its sinks have not committed, marked finished.
   */
  public SubtaskSnapshot finalSnapshot() {
    List<SubtaskSnapshot.Committables> committables = new ArrayList<>();
    for (Map.Entry<Integer, StreamOperator> e : byNode.entrySet()) {
      if (e.getValue() instanceof Operators.Sink sink) {
        sink.uncommitted().forEach((id, items) -> committables.add(
            new SubtaskSnapshot.Committables(e.getKey(), id, items)));
      }
    }
    return new SubtaskSnapshot(0, vertex.id(), subtask, List.of(),
        head instanceof Operators.SourceHead source ? source.position() : null,
        committables, 0, true);
  }

  /**
   * Restores the subtask from a checkpoint, before {@link #open}: keyed state and timers of its
   * key groups, the source position its head reports on, and the sinks' committables, which
   * are committed again.
   */
  public void restore(SubtaskRestore restore) {
    restoredFinished = restore.finished();
    if (state != null && !restoredFinished) {
      state.restore(restore.keyGroups(), timers);
    }
    if (head instanceof Operators.SourceHead source && restore.source() != null) {
      source.restore(restore.source());
    }
    for (SubtaskSnapshot.Committables c : restore.committables()) {
      if (byNode.get(c.node()) instanceof Operators.Sink sink) {
        sink.recommit(c.checkpointId(), c.items());
      }
    }
  }

  /**
   * Takes this subtask's part of a checkpoint at its barrier: the sinks flush or pre-commit,
   * keyed state is frozen copy-on-write (written out later, off the record path) and timers are
   * copied, and the source position is recorded. Sends the barrier on every port, after
   * everything produced before it.
   *
   * @param checkpointId the checkpoint
   * @param alignmentMillis how long the barrier waited for alignment
   * @return the snapshot, to complete and acknowledge to the job master
   */
  public TakenSnapshot checkpoint(long checkpointId, long alignmentMillis) {
    List<SubtaskSnapshot.Committables> committables = new ArrayList<>();
    for (Map.Entry<Integer, StreamOperator> e : byNode.entrySet()) {
      if (e.getValue() instanceof Operators.Sink sink) {
        sink.precommit(checkpointId);
        // Every checkpoint still uncommitted, not just this one: a completed checkpoint whose
        // commit a failure interrupted is committed again after a restore from this one.
        sink.uncommitted().forEach((id, items) -> committables.add(
            new SubtaskSnapshot.Committables(e.getKey(), id, items)));
      }
    }
    if (ended && finalCheckpointId < 0) {
      finalCheckpointId = checkpointId;
    }
    SubtaskSnapshot snapshot = new SubtaskSnapshot(checkpointId, vertex.id(), subtask,
        List.of(), head instanceof Operators.SourceHead source ? source.position() : null,
        committables, alignmentMillis, ended);
    java.util.function.Supplier<List<io.weir.stream.internal.state.KeyGroupSnapshot>> keyGroups =
        state == null ? List::of : state.freeze(timers);
    if (!ended) {
      // After the end of input, downstream counts this channel as ended: no barrier follows.
      buffers.broadcast(ch -> new StreamElement.Barrier(ch, checkpointId));
    }
    return new TakenSnapshot(snapshot, keyGroups);
  }

  /** Checkpoint {@code checkpointId} completed: sinks commit what they pre-committed. */
  public void checkpointComplete(long checkpointId) {
    // The final checkpoint commits whatever the cadence held back: no later one will come.
    boolean last = finalCheckpointId >= 0 && checkpointId >= finalCheckpointId;
    for (StreamOperator op : operators) {
      if (op instanceof Operators.Sink sink) {
        sink.commit(checkpointId, last);
      }
    }
    if (finalCheckpointId >= 0 && checkpointId >= finalCheckpointId) {
      finalCommitted = true;
    }
  }

  /** Whether an operator generates watermarks periodically (assignTimestampsAndWatermarks). */
  public boolean hasPeriodicWatermarks() {
    return periodicWatermarks;
  }

  /** The periodic watermark call, for the operators that generate watermarks. */
  public void onPeriodicWatermark() {
    if (!ended) {
      operators.forEach(StreamOperator::onPeriodicWatermark);
    }
  }

  /** Fires the processing-time timers due at {@code now}. */
  public void onProcessingTime(long now) throws Exception {
    if (timers != null && !ended) {
      timers.fireProcessingTimers(now, this::fire);
    }
  }

  /** When the next processing-time timer is due; {@code Long.MAX_VALUE} when none is. */
  public long nextProcessingTime() {
    return timers == null || ended ? Long.MAX_VALUE : timers.nextProcessingTime();
  }

  /** Removes up to {@code budget} expired state entries; returns how many. */
  public int cleanupExpiredState(int budget) {
    return state == null ? 0 : state.cleanupExpired(budget);
  }

  /** What left the vertex since the last call, per port, in order. */
  public List<Routed> drain() {
    return buffers.drain();
  }

  /**
   * The attempt is over and the job goes on (or ends) from checkpoint {@code latest} at the
   * latest: at close, the sinks commit what waited for their cadence up to it and abort what
   * they pre-committed for any later checkpoint, which can never complete now. May be called
   * from another thread.
   */
  public void endAttemptAt(long latest) {
    attemptEndsAt = latest;
  }

  /** Closes every operator, once; a failure of one does not keep the others open. */
  public void close() {
    long latest = attemptEndsAt;
    if (latest != Long.MAX_VALUE) {
      for (StreamOperator op : operators) {
        if (op instanceof Operators.Sink sink) {
          sink.endAttempt(latest);
        }
      }
    }
    RuntimeException first = null;
    for (StreamOperator op : operators) {
      try {
        op.close();
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** The runtime context of one operator. */
  private final class Context implements RuntimeContext {
    private final String operator;
    private final KeyedStateBackend backend;

    Context(String operator, KeyedStateBackend backend) {
      this.operator = operator;
      this.backend = backend;
    }

    @Override
    public String jobName() {
      return graph.jobName();
    }

    @Override
    public String operatorName() {
      return operator;
    }

    @Override
    public int subtaskIndex() {
      return subtask;
    }

    @Override
    public int parallelism() {
      return vertex.parallelism();
    }

    @Override
    public int maxParallelism() {
      return graph.maxParallelism();
    }

    @Override
    public MeterRegistry metrics() {
      return metrics;
    }

    @Override
    public <S extends State> S getState(StateDescriptor<S> descriptor) {
      if (backend == null) {
        throw new UnsupportedOperationException("operator '" + operator + "' is not keyed:"
            + " keyed state needs keyBy(...) right before it");
      }
      return backend.getState(descriptor);
    }
  }
}
