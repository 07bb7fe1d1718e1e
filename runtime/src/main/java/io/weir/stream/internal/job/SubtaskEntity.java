package io.weir.stream.internal.job;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.weir.api.CborSerializable;
import io.weir.log.api.Log;
import io.weir.stream.api.checkpoint.CheckpointingMode;
import io.weir.stream.api.source.SourceReader;
import io.weir.stream.api.source.SourceReaderContext;
import io.weir.stream.api.source.SourceSplit;
import io.weir.stream.internal.JobPlanner;
import io.weir.stream.internal.PlannedJob;
import io.weir.stream.internal.exec.ExchangeLayout;
import io.weir.stream.internal.exec.OperatorChain;
import io.weir.stream.internal.exec.OperatorException;
import io.weir.stream.internal.exec.ReaderSource;
import io.weir.stream.internal.exec.Routed;
import io.weir.stream.internal.exec.Sources;
import io.weir.stream.internal.exec.StreamElement;
import io.weir.stream.internal.exec.SubtaskRestore;
import io.weir.stream.internal.exec.SubtaskSnapshot;
import io.weir.stream.internal.exec.SubtaskStage;
import io.weir.stream.internal.exec.TakenSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SinkRef;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.UniformFanOutShape;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.GraphDSL;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Partition;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;

/**
 * One subtask of a job: the sharded entity {@code job/vertex/subtask} that runs the fused
 * Pekko Streams graph of its vertex's chain. Not persistent: the job master deploys it again
 * after a restart.
 *
 * <p>Its life per attempt: {@link Deploy} plans the job from the definition's class name and
 * arguments (the functions never travel), builds the chain and opens its input hub, and tells
 * the master it is ready. {@link Run} (once every subtask is ready) opens a channel to every
 * target subtask through {@link OpenChannel}, in memory when the target is on this node and
 * through a SinkRef otherwise, then runs the graph. The end of the graph, normal or failed, is
 * reported to the master; {@link Cancel} aborts it. Messages of an older attempt are ignored.
 */
public final class SubtaskEntity extends AbstractBehavior<SubtaskEntity.Command> {
  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-subtask");

  /** The entity's messages. */
  public interface Command {}

  /** Deploy attempt {@code attempt} of a job; replies to the master with a {@link JobMaster.SubtaskReady}. */
  public record Deploy(int attempt, String definition, List<String> args, Integer parallelism,
      ActorRef<JobMaster.Command> master, ActorRef<EnumeratorHost.Command> enumerator,
      SubtaskRestore restore) implements Command, CborSerializable {}

  /** Take checkpoint {@code checkpointId} now: sent to the subtasks of source vertices. */
  public record TriggerCheckpoint(int attempt, long checkpointId)
      implements Command, CborSerializable {}

  /** Checkpoint {@code checkpointId} completed: sinks commit. */
  public record CheckpointComplete(int attempt, long checkpointId)
      implements Command, CborSerializable {}

  /** Splits for the reader of a connector source, from its enumerator. */
  public record AddSplits(int attempt,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<SourceSplit> splits)
      implements Command, CborSerializable {}

  /** The reader's enumerator will assign no more splits. */
  public record NoMoreSplits(int attempt) implements Command, CborSerializable {}

  private record SnapshotTaken(int attempt, TakenSnapshot snapshot)
      implements Command, NoSerializationVerificationNeeded {}

  private record SplitRequested(int attempt)
      implements Command, NoSerializationVerificationNeeded {}

  private record AwaitingFinal(int attempt)
      implements Command, NoSerializationVerificationNeeded {}

  /**
   * The master has this subtask's end of the attempt: the entity goes away until a later
   * Deploy starts it again.
   */
  public record Release(int attempt) implements Command, CborSerializable {}

  /** Connect the outputs and run; every subtask of the attempt is deployed. */
  public record Run(int attempt) implements Command, CborSerializable {}

  /**
   * Stop the attempt's graph; the end is reported to the master as usual. What the sinks
   * pre-committed for checkpoints after {@code latestCheckpoint} (the latest the job completed;
   * -1 for none) can never be committed now: their committers abort it.
   */
  public record Cancel(int attempt, long latestCheckpoint) implements Command, CborSerializable {}

  /** An upstream subtask asks for a channel into this subtask's input. */
  public record OpenChannel(int attempt, ActorRef<ChannelOffer> replyTo)
      implements Command, CborSerializable {}

  /**
   * The answer to {@link OpenChannel}: a SinkRef into the input, or null when the asker is on
   * this node and writes into the input directly; or an error.
   */
  public record ChannelOffer(int attempt, SinkRef<StreamElement> ref, String error)
      implements CborSerializable {}

  private record Connected(int attempt, List<Sink<StreamElement, NotUsed>> outputs,
      Throwable failure) implements Command, NoSerializationVerificationNeeded {}

  private record Ended(int attempt, Throwable failure)
      implements Command, NoSerializationVerificationNeeded {}

  /** Starts sharding of subtasks on this node; they never passivate while their job runs. */
  public static void init(ActorSystem<?> system, StreamSettings settings, Log log,
      LongSupplier clock, MeterRegistry metrics) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> Behaviors.<Command>setup(c ->
            new SubtaskEntity(c, ctx.getEntityId(), ctx.getShard(), settings, log, clock,
                metrics)))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  /** The entity id of a subtask. */
  public static String entityId(String jobId, String vertexId, int subtask) {
    return jobId + "/" + vertexId + "/" + subtask;
  }

  private final String jobId;
  private final String vertexId;
  private final int subtask;
  private final StreamSettings settings;
  private final Log log;
  private final LongSupplier clock;
  private final ClusterSharding sharding;
  private final Materializer materializer;
  private final MeterRegistry metrics;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private int attempt;
  private ActorRef<JobMaster.Command> master;
  private PlannedJob planned;
  private OperatorChain chain;
  private Source<StreamElement, NotUsed> input;
  private Sink<StreamElement, NotUsed> hub;
  private UniqueKillSwitch killSwitch;
  private ActorRef<EnumeratorHost.Command> enumerator;
  private ReaderSource.Control reader;
  private SubtaskStage.Control control;
  private final java.util.Map<Long, List<SourceSplit>> readerSplits =
      new java.util.concurrent.ConcurrentHashMap<>();
  private boolean canceled;
  /** The input ended and a two-phase sink waits for the final checkpoint, triggered here. */
  private boolean awaitingFinal;
  private SubtaskRestore restore;

  private SubtaskEntity(ActorContext<Command> context, String entityId,
      ActorRef<ClusterSharding.ShardCommand> shard, StreamSettings settings, Log log,
      LongSupplier clock, MeterRegistry metrics) {
    super(context);
    this.metrics = metrics;
    this.shard = shard;
    String[] parts = entityId.split("/");
    this.jobId = parts[0];
    this.vertexId = parts[1];
    this.subtask = Integer.parseInt(parts[2]);
    this.settings = settings;
    this.log = log;
    this.clock = clock;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.materializer = Materializer.matFromSystem(context.getSystem());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Deploy.class, this::onDeploy)
        .onMessage(Run.class, this::onRun)
        .onMessage(OpenChannel.class, this::onOpenChannel)
        .onMessage(Connected.class, this::onConnected)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(Ended.class, this::onEnded)
        .onSignal(PostStop.class, signal -> {
          // A subtask stopped while running (not released by its master) takes its graph with
          // it; its master, which watches it, fails the attempt. A finished graph is left to
          // deliver its last elements.
          if (killSwitch != null) {
            killSwitch.abort(new CancellationException("subtask entity stopped"));
          }
          if (hub != null) {
            Exchanges.get(getContext().getSystem()).unregister(hubKey());
          }
          return this;
        })
        .onMessage(SnapshotTaken.class, t -> {
          // The keyed state frozen at the barrier is written out here, off the record path.
          SubtaskSnapshot snapshot = t.snapshot().complete();
          List<SourceSplit> splits = readerSplits.remove(snapshot.checkpointId());
          if (splits != null) {
            snapshot = snapshot.withSplits(splits);
          }
          long bytes = SerializationExtension.get(getContext().getSystem().classicSystem())
              .serialize(snapshot).get().length;
          if (master != null) {
            master.tell(new JobMaster.CheckpointAck(t.attempt(), snapshot, bytes));
          }
          return this;
        })
        .onMessage(Release.class, r -> {
          if (r.attempt() == attempt && chain == null) {
            shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
          }
          return this;
        })
        .onMessage(AwaitingFinal.class, w -> {
          if (w.attempt() == attempt && master != null) {
            awaitingFinal = true;
            master.tell(new JobMaster.SubtaskAwaitingFinalCheckpoint(attempt, vertexId, subtask));
          }
          return this;
        })
        .onMessage(TriggerCheckpoint.class, t -> {
          if (t.attempt() == attempt && awaitingFinal && control != null) {
            // Past its end of input: no barrier will come, the stage takes the snapshot itself.
            control.triggerCheckpoint(t.checkpointId());
          } else if (t.attempt() == attempt && enumerator != null && reader != null) {
            // From the enumerator host, after its own snapshot: the reader records its splits
            // and emits the barrier.
            reader.triggerCheckpoint(t.checkpointId());
          } else if (t.attempt() == attempt && enumerator == null && control != null) {
            control.triggerCheckpoint(t.checkpointId());
          } else if (t.attempt() == attempt && master != null) {
            master.tell(new JobMaster.CheckpointDeclined(attempt, t.checkpointId(),
                "subtask " + entityId(jobId, vertexId, subtask) + " is not running"));
          }
          return this;
        })
        .onMessage(CheckpointComplete.class, c -> {
          if (c.attempt() == attempt && control != null) {
            control.checkpointComplete(c.checkpointId());
          }
          if (c.attempt() == attempt && reader != null) {
            reader.checkpointComplete(c.checkpointId());
          }
          return this;
        })
        .onMessage(AddSplits.class, a -> {
          if (a.attempt() == attempt && reader != null) {
            reader.addSplits(a.splits());
          }
          return this;
        })
        .onMessage(NoMoreSplits.class, n -> {
          if (n.attempt() == attempt && reader != null) {
            reader.noMoreSplits();
          }
          return this;
        })
        .onMessage(SplitRequested.class, r -> {
          if (r.attempt() == attempt && enumerator != null) {
            enumerator.tell(new EnumeratorHost.RequestSplit(subtask));
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onDeploy(Deploy d) {
    if (d.attempt() <= attempt) {
      return this;
    }
    stop(new CancellationException("attempt " + attempt + " was replaced by " + d.attempt()));
    attempt = d.attempt();
    master = d.master();
    enumerator = d.enumerator();
    canceled = false;
    awaitingFinal = false;
    try {
      planned = JobPlanner.plan(d.definition(), d.args(),
          Thread.currentThread().getContextClassLoader(), d.parallelism());
      chain = new OperatorChain(planned, vertexId, subtask, log, clock, settings.batchSize(),
          metrics);
      restore = d.restore();
      if (restore != null) {
        chain.restore(restore);
      }
      if (chain.layout().channelCount() > 0) {
        Pair<Sink<StreamElement, NotUsed>, Source<StreamElement, NotUsed>> pair =
            MergeHub.of(StreamElement.class, settings.exchangeBuffer())
                .preMaterialize(materializer);
        hub = pair.first();
        input = pair.second();
        Exchanges.get(getContext().getSystem()).register(hubKey(), hub);
      } else if (enumerator != null) {
        input = readerSource();
      } else {
        input = restore != null && restore.finished() ? Source.empty()
            : Sources.forVertex(planned, vertexId, subtask, log, settings.batchSize(),
            eventTime(), restore == null ? null : restore.source());
      }
      master.tell(new JobMaster.SubtaskReady(attempt, vertexId, subtask, getContext().getSelf()));
    } catch (Exception e) {
      report(e);
      release();
    }
    return this;
  }

  /**
   * The input of a connector source's subtask: its reader, driven by a {@link ReaderSource}
   * whose control is kept when the graph is materialized (on this actor's thread).
   */
  private Source<StreamElement, NotUsed> readerSource() throws Exception {
    var connector = Sources.connectorOf(planned, vertexId);
    int a = attempt;
    ActorRef<Command> self = getContext().getSelf();
    int parallelism = planned.jobGraph().vertex(vertexId).parallelism();
    SourceReader<?, ?> created = connector.source().createReader(new SourceReaderContext() {
      @Override
      public int subtaskIndex() {
        return subtask;
      }

      @Override
      public int currentParallelism() {
        return parallelism;
      }

      @Override
      public void sendSplitRequest() {
        self.tell(new SplitRequested(a));
      }

      @Override
      public MeterRegistry metrics() {
        return metrics;
      }
    });
    String name = planned.jobGraph().vertex(vertexId).head().name();
    return Sources.withEventTime(Source.fromGraph(new ReaderSource(name, created,
                readerSplits::put)),
            connector.strategy(), eventTime())
        .mapMaterializedValue(control -> {
          reader = control;
          return NotUsed.getInstance();
        });
  }

  private Sources.EventTime eventTime() {
    return new Sources.EventTime(settings.autoWatermarkInterval(), clock);
  }

  private String hubKey() {
    return Exchanges.key(jobId, attempt, vertexId, subtask);
  }

  private Behavior<Command> onRun(Run r) {
    if (r.attempt() != attempt || chain == null || killSwitch != null) {
      return this;
    }
    ExchangeLayout layout = chain.layout();
    List<CompletableFuture<Sink<StreamElement, NotUsed>>> outputs = new ArrayList<>();
    for (int p = 0; p < layout.portCount(); p++) {
      String targetVertex = layout.outputs().get(edgeOfPort(layout, p)).targetVertex();
      int target = layout.portTargets()[p];
      String targetKey = Exchanges.key(jobId, attempt, targetVertex, target);
      CompletionStage<ChannelOffer> offer = sharding.entityRefFor(KEY,
              entityId(jobId, targetVertex, target))
          .ask(replyTo -> new OpenChannel(attempt, replyTo), settings.askTimeout());
      outputs.add(offer.thenApply(o -> toSink(o, targetKey)).toCompletableFuture());
    }
    int a = attempt;
    getContext().pipeToSelf(CompletableFuture.allOf(outputs.toArray(CompletableFuture[]::new)),
        (ok, failure) -> new Connected(a,
            failure == null ? outputs.stream().map(CompletableFuture::join).toList() : null,
            failure));
    return this;
  }

  private static int edgeOfPort(ExchangeLayout layout, int port) {
    for (int e = layout.portBase().length - 1; e >= 0; e--) {
      if (port >= layout.portBase()[e]) {
        return e;
      }
    }
    throw new IllegalArgumentException("no port " + port);
  }

  private Sink<StreamElement, NotUsed> toSink(ChannelOffer offer, String targetKey) {
    if (offer.error() != null) {
      throw new IllegalStateException(offer.error());
    }
    if (offer.ref() != null) {
      return offer.ref().getSink();
    }
    Sink<StreamElement, NotUsed> local = Exchanges.get(getContext().getSystem()).input(targetKey);
    if (local == null) {
      throw new IllegalStateException("subtask " + targetKey + " offered an in-memory channel"
          + " but is not deployed on this node");
    }
    return local;
  }

  private Behavior<Command> onOpenChannel(OpenChannel o) {
    if (o.attempt() != attempt || hub == null) {
      o.replyTo().tell(new ChannelOffer(o.attempt(), null, "subtask "
          + entityId(jobId, vertexId, subtask) + " is not deployed for attempt " + o.attempt()
          + " (it has attempt " + attempt + ")"));
    } else if (o.replyTo().path().address().hasLocalScope() && !settings.remoteExchangesOnly()) {
      o.replyTo().tell(new ChannelOffer(attempt, null, null));
    } else {
      SinkRef<StreamElement> ref = StreamRefs.<StreamElement>sinkRef().to(hub)
          .run(materializer);
      o.replyTo().tell(new ChannelOffer(attempt, ref, null));
    }
    return this;
  }

  private Behavior<Command> onConnected(Connected c) {
    if (c.attempt() != attempt || chain == null || killSwitch != null) {
      return this;
    }
    if (c.failure() != null || canceled) {
      report(canceled ? new CancellationException("canceled") : c.failure());
      release();
      return this;
    }
    if (enumerator != null) {
      // Before the graph runs, so the host knows the reader before its first split request.
      enumerator.tell(new EnumeratorHost.RegisterReader(subtask));
    }
    var checkpointing = planned.jobGraph().execution().checkpoints();
    SubtaskStage.Settings stageSettings = new SubtaskStage.Settings(clock,
        settings.stateCleanupInterval(), settings.autoWatermarkInterval(),
        checkpointing == null || checkpointing.mode() == CheckpointingMode.EXACTLY_ONCE);
    ActorRef<JobMaster.Command> m = master;
    ActorRef<Command> self = getContext().getSelf();
    int a = attempt;
    SubtaskStage.Checkpoints acks = new SubtaskStage.Checkpoints() {
      @Override
      public void taken(TakenSnapshot snapshot) {
        // Written out, serialized and sent by the entity, off the subtask's record path.
        self.tell(new SnapshotTaken(a, snapshot));
      }

      @Override
      public void declined(long id, String reason) {
        m.tell(new JobMaster.CheckpointDeclined(a, id, reason));
      }

      @Override
      public void awaitingFinalCheckpoint() {
        self.tell(new AwaitingFinal(a));
      }
    };
    Pair<Pair<UniqueKillSwitch, SubtaskStage.Control>, CompletionStage<Done>> running = input
        .viaMat(KillSwitches.single(), Keep.right())
        .viaMat(Flow.fromGraph(new SubtaskStage(chain, stageSettings, acks)), Keep.both())
        .watchTermination(Keep.both())
        .mapConcat(list -> list)
        .to(fanOut(c.outputs()))
        .withAttributes(ActorAttributes.dispatcher(settings.dispatcher()))
        .run(materializer);
    killSwitch = running.first().first();
    control = running.first().second();
    if (reader != null && restore != null && restore.source() != null
        && restore.source().splits() != null) {
      // The splits this reader's predecessors held at the checkpoint restored.
      reader.addSplits(restore.source().splits());
    }
    getContext().pipeToSelf(running.second(), (done, failure) -> new Ended(a, failure));
    return this;
  }

  private static Sink<Routed, NotUsed> fanOut(List<Sink<StreamElement, NotUsed>> outputs) {
    if (outputs.isEmpty()) {
      return Sink.<Routed>ignore().mapMaterializedValue(f -> NotUsed.getInstance());
    }
    if (outputs.size() == 1) {
      return toChannel().to(outputs.get(0));
    }
    return Sink.fromGraph(GraphDSL.create(b -> {
      UniformFanOutShape<Routed, Routed> partition =
          b.add(Partition.create(Routed.class, outputs.size(), Routed::port));
      for (int i = 0; i < outputs.size(); i++) {
        b.from(partition.out(i))
            .via(b.add(toChannel()))
            .to(b.add(outputs.get(i)));
      }
      return SinkShape.of(partition.in());
    }));
  }

  /**
   * One output channel: the element without its port. When the subtask fails or is canceled,
   * the channel just ends — the receiver learns of the failure from the job master, not as a
   * failed producer of its input hub (which would fail the hub, and be logged as an error).
   */
  private static Flow<Routed, StreamElement, NotUsed> toChannel() {
    return Flow.of(Routed.class).map(Routed::element)
        .recoverWithRetries(1, Throwable.class, Source::empty);
  }

  private Behavior<Command> onCancel(Cancel c) {
    if (c.attempt() != attempt || canceled) {
      return this;
    }
    canceled = true;
    if (chain != null) {
      chain.endAttemptAt(c.latestCheckpoint());
    }
    if (killSwitch != null) {
      killSwitch.abort(new CancellationException("canceled"));
      // After its input ended, the stage is past the kill switch: it is told directly.
      control.cancel(new CancellationException("canceled"));
    } else if (chain != null) {
      // Deployed but not running: nothing will report the end unless this does.
      report(new CancellationException("canceled"));
      release();
    }
    return this;
  }

  private Behavior<Command> onEnded(Ended e) {
    if (e.attempt() != attempt) {
      return this;
    }
    report(e.failure());
    release();
    return this;
  }

  /** Tells the master how the attempt ended here: null for finished. */
  private void report(Throwable failure) {
    if (master == null) {
      return;
    }
    Throwable cause = failure;
    while (cause != null && !(cause instanceof OperatorException) && cause.getCause() != null
        && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String operator = null;
    String text = null;
    if (cause instanceof OperatorException oe) {
      operator = oe.operator();
      text = String.valueOf(oe.getCause());
    } else if (failure != null) {
      text = failure instanceof CancellationException ? "canceled" : failure.toString();
    }
    // A finished subtask's final snapshot stands for it in the job's later checkpoints.
    SubtaskSnapshot last = failure == null && chain != null ? chain.finalSnapshot() : null;
    master.tell(new JobMaster.SubtaskEnded(attempt, vertexId, subtask, operator, text, last));
  }

  private void stop(Throwable reason) {
    if (killSwitch != null) {
      killSwitch.abort(reason);
    }
    release();
  }

  /** Forgets the attempt's graph; closes the chain unless its running stage does that. */
  private void release() {
    if (killSwitch == null && chain != null) {
      try {
        chain.close();
      } catch (RuntimeException e) {
        getContext().getLog().warn("closing subtask {} failed", hubKey(), e);
      }
    }
    if (hub != null) {
      Exchanges.get(getContext().getSystem()).unregister(hubKey());
    }
    hub = null;
    input = null;
    chain = null;
    planned = null;
    killSwitch = null;
    reader = null;
    control = null;
    restore = null;
  }
}
