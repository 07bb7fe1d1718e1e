package io.weir.log.internal;

import io.weir.api.WeirException;
import io.weir.log.api.CommittableRecord;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.IllegalGenerationException;
import io.weir.log.api.OffsetReset;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.RebalanceInProgressException;
import io.weir.log.api.StartPosition;
import io.weir.log.api.TopicDescription;
import io.weir.log.api.TopicPartition;
import io.weir.log.api.UnknownMemberException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * One member of a consumer group, behind a committable source: a local (never sharded) actor
 * that joins the group, heartbeats, and on each assignment starts a {@link PartitionReader}
 * source per new partition (from the committed offset, or the reset policy) into the source's
 * merge hub, and stops the sources of revoked partitions before joining again. Commits go
 * through it so they carry the member's current id and generation.
 */
final class GroupConsumer extends AbstractBehavior<GroupConsumer.Command> {

  /** Messages of the member; local only. */
  sealed interface Command {}

  /** Commit one batch of offsets (the next offsets to read) for this member. */
  record Commit(List<GroupCoordinator.OffsetCommit> offsets, CompletableFuture<Done> result)
      implements Command {}

  /** Stop reading, leave the group and complete the source. */
  record Stop() implements Command {}

  private record TopicsLoaded(Map<String, Integer> counts, Throwable error) implements Command {}

  private record JoinDone(GroupCoordinator.Joined joined, Throwable error) implements Command {}

  private record SyncDone(GroupCoordinator.Assignment assignment, Throwable error)
      implements Command {}

  private record Tick() implements Command {}

  private record HeartbeatDone(int generation, GroupCoordinator.HeartbeatAck ack,
      Throwable error) implements Command {}

  private record StartAt(int generation, Map<TopicPartition, Long> offsets, Throwable error)
      implements Command {}

  private record LeaveNow() implements Command {}

  private record Left() implements Command {}

  private record PartitionEnded(TopicPartition tp, UniqueKillSwitch source, Throwable error)
      implements Command {}

  private final ConsumerGroupSettings settings;
  private final LogSettings logSettings;
  private final GroupSources streams;
  private final TimerScheduler<Command> timers;
  private final Map<TopicPartition, UniqueKillSwitch> running = new HashMap<>();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private Map<String, Integer> partitionCounts;
  private String memberId = "";
  private int generation;
  private boolean joining;
  private boolean stopping;
  private boolean leaving;

  /** The plumbing a member drives: where records go, how partitions are read and looked up. */
  record GroupSources(Sink<CommittableRecord, ?> hub, UniqueKillSwitch output,
      CompletableFuture<Done> stopped, Materializer materializer, PartitionReader reader,
      TopicCache topics) {}

  static Behavior<Command> create(ConsumerGroupSettings settings, LogSettings logSettings,
      GroupSources streams) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new GroupConsumer(ctx, timers, settings, logSettings, streams)));
  }

  private GroupConsumer(ActorContext<Command> context, TimerScheduler<Command> timers,
      ConsumerGroupSettings settings, LogSettings logSettings, GroupSources streams) {
    super(context);
    this.settings = settings;
    this.logSettings = logSettings;
    this.streams = streams;
    this.timers = timers;
    List<CompletableFuture<TopicDescription>> lookups = settings.topics().stream()
        .map(t -> streams.topics().lookup(t).toCompletableFuture()).toList();
    context.pipeToSelf(CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(v -> {
          Map<String, Integer> counts = new HashMap<>();
          lookups.forEach(f -> counts.put(f.join().name(), f.join().partitions()));
          return counts;
        }), TopicsLoaded::new);
    timers.startTimerWithFixedDelay(new Tick(), settings.heartbeatInterval());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(TopicsLoaded.class, this::onTopicsLoaded)
        .onMessage(JoinDone.class, this::onJoinDone)
        .onMessage(SyncDone.class, this::onSyncDone)
        .onMessage(StartAt.class, this::onStartAt)
        .onMessage(Tick.class, this::onTick)
        .onMessage(HeartbeatDone.class, this::onHeartbeatDone)
        .onMessage(PartitionEnded.class, this::onPartitionEnded)
        .onMessage(Commit.class, this::onCommit)
        .onMessage(Stop.class, this::onStop)
        .onMessage(LeaveNow.class, this::onLeaveNow)
        .onMessage(Left.class, this::onLeft)
        .build();
  }

  private Behavior<Command> onTopicsLoaded(TopicsLoaded msg) {
    if (msg.error() != null) {
      return fail(msg.error());
    }
    partitionCounts = msg.counts();
    GroupDirectory.ref(getContext().getSystem()).askWithStatus(
        (ActorRef<StatusReply<Done>> r) -> new GroupDirectory.RegisterGroup(settings.groupId(), r),
        logSettings.askTimeout());
    join();
    return this;
  }

  private void join() {
    if (stopping || joining) {
      return;
    }
    joining = true;
    // The join is answered when the rebalance completes, which may wait a session timeout.
    Duration timeout = settings.sessionTimeout().multipliedBy(2).plus(logSettings.askTimeout());
    getContext().pipeToSelf(coordinator().askWithStatus(
        (ActorRef<StatusReply<GroupCoordinator.Joined>> r) -> new GroupCoordinator.JoinGroup(
            memberId, settings.clientId(), settings.topics(), partitionCounts,
            settings.strategy(), settings.sessionTimeout().toMillis(), r), timeout),
        JoinDone::new);
  }

  private Behavior<Command> onJoinDone(JoinDone msg) {
    joining = false;
    if (stopping) {
      return this;
    }
    if (msg.error() != null) {
      Throwable e = cause(msg.error());
      if (e instanceof IllegalArgumentException) {
        return fail(new WeirException(e.getMessage()));
      }
      if (e instanceof UnknownMemberException) {
        lose("it is no longer a member");
        memberId = "";
        generation = 0;
      }
      getContext().getLog().info("group {}: join failed ({}), joining again", settings.groupId(),
          e.getMessage());
      join();
      return this;
    }
    memberId = msg.joined().memberId();
    generation = msg.joined().generation();
    getContext().pipeToSelf(coordinator().askWithStatus(
        (ActorRef<StatusReply<GroupCoordinator.Assignment>> r) ->
            new GroupCoordinator.SyncGroup(memberId, generation, r), logSettings.askTimeout()),
        SyncDone::new);
    return this;
  }

  private Behavior<Command> onSyncDone(SyncDone msg) {
    if (stopping || msg.error() != null) {
      if (msg.error() != null && !stopping) {
        rejoinAfter(cause(msg.error()));
      }
      return this;
    }
    GroupCoordinator.Assignment a = msg.assignment();
    if (a.generation() != generation) {
      return this;
    }
    assigned.clear();
    assigned.addAll(a.partitions());
    for (TopicPartition tp : new ArrayList<>(running.keySet())) {
      if (!assigned.contains(tp)) {
        running.remove(tp).shutdown();
      }
    }
    List<TopicPartition> added = a.partitions().stream()
        .filter(tp -> !running.containsKey(tp)).toList();
    if (!added.isEmpty()) {
      getContext().pipeToSelf(startOffsets(added), (offsets, error) ->
          new StartAt(a.generation(), offsets, error));
    }
    if (!a.revoking().isEmpty()) {
      // The revoked partitions' sources are stopped: join again so they move to their owner.
      join();
    }
    return this;
  }

  /** Committed offsets of {@code partitions}, or where the reset policy says when none. */
  private CompletionStage<Map<TopicPartition, Long>> startOffsets(List<TopicPartition> partitions) {
    CompletionStage<GroupCoordinator.Snapshot> snapshot = coordinator().askWithStatus(
        GroupCoordinator.Describe::new, logSettings.askTimeout());
    return snapshot.thenCompose(s -> {
      if (partitions.stream().anyMatch(s.pending()::contains)) {
        // An open transaction holds offsets of a partition this member now owns: it would move
        // the committed offset when it commits, so wait for it to end (as Kafka's KIP-447).
        return CompletableFuture.supplyAsync(() -> null,
                CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS))
            .thenCompose(v -> startOffsets(partitions));
      }
      Map<TopicPartition, Long> committed = new HashMap<>();
      s.offsets().forEach(c -> committed.put(c.topicPartition(), c.offset()));
      Map<TopicPartition, CompletableFuture<PartitionOffsets>> ranges = new HashMap<>();
      partitions.forEach(tp -> ranges.put(tp,
          streams.reader().offsets(tp.topic(), tp.partition()).toCompletableFuture()));
      return CompletableFuture.allOf(ranges.values().toArray(CompletableFuture[]::new))
          .thenApply(v -> {
            Map<TopicPartition, Long> out = new HashMap<>();
            ranges.forEach((tp, f) -> {
              PartitionOffsets range = f.join();
              Long c = committed.get(tp);
              boolean usable = c != null && c >= range.logStartOffset()
                  && c <= range.logEndOffset();
              out.put(tp, usable ? c : settings.autoOffsetReset() == OffsetReset.EARLIEST
                  ? range.logStartOffset() : range.logEndOffset());
            });
            return out;
          });
    });
  }

  private Behavior<Command> onStartAt(StartAt msg) {
    // Offsets read for an older generation may be stale (another member may have committed
    // since); the newer generation's sync asked again for every partition not yet running.
    if (stopping || msg.generation() != generation) {
      return this;
    }
    if (msg.error() != null) {
      return fail(cause(msg.error()));
    }
    var self = getContext().getSelf();
    CompletableFuture<Done> stopped = streams.stopped();
    String member = memberId;
    msg.offsets().forEach((tp, offset) -> {
      if (!assigned.contains(tp) || running.containsKey(tp)) {
        return;
      }
      UniqueKillSwitch source = streams.reader()
          .source(tp.topic(), tp.partition(), StartPosition.offset(offset), settings.isolation())
          .map(r -> new CommittableRecord(r,
              new GroupOffset(settings.groupId(), tp, r.offset(), "", member, self, stopped)))
          .viaMat(KillSwitches.single(), Keep.right())
          .watchTermination((ks, done) -> {
            done.whenComplete((d, e) -> self.tell(new PartitionEnded(tp, ks, e)));
            return ks;
          })
          .to(streams.hub())
          .run(streams.materializer());
      running.put(tp, source);
    });
    return this;
  }

  private Behavior<Command> onPartitionEnded(PartitionEnded msg) {
    if (msg.error() != null && !stopping && running.get(msg.tp()) == msg.source()) {
      return fail(cause(msg.error()));
    }
    return this;
  }

  private Behavior<Command> onTick(Tick tick) {
    if (stopping || joining || generation == 0) {
      return this;
    }
    int gen = generation;
    getContext().pipeToSelf(coordinator().askWithStatus(
        (ActorRef<StatusReply<GroupCoordinator.HeartbeatAck>> r) ->
            new GroupCoordinator.Heartbeat(memberId, gen, r), logSettings.askTimeout()),
        (ack, error) -> new HeartbeatDone(gen, ack, error));
    return this;
  }

  private Behavior<Command> onHeartbeatDone(HeartbeatDone msg) {
    if (stopping || joining || msg.generation() != generation) {
      return this;
    }
    if (msg.error() != null) {
      rejoinAfter(cause(msg.error()));
    } else if (msg.ack().rebalanceInProgress()) {
      join();
    }
    return this;
  }

  /** After a refused heartbeat or sync: partitions may have moved, so stop them and rejoin. */
  private void rejoinAfter(Throwable e) {
    if (e instanceof UnknownMemberException || e instanceof IllegalGenerationException) {
      lose(e.getMessage());
      if (e instanceof UnknownMemberException) {
        memberId = "";
      }
      generation = 0;
    }
    join();
  }

  private void lose(String why) {
    if (!running.isEmpty()) {
      getContext().getLog().info("group {}: member {} lost partitions {}: {}",
          settings.groupId(), memberId, running.keySet(), why);
    }
    running.values().forEach(UniqueKillSwitch::shutdown);
    running.clear();
    assigned.clear();
  }

  private Behavior<Command> onCommit(Commit msg) {
    if (generation == 0 || leaving) {
      msg.result().completeExceptionally(new RebalanceInProgressException("member of group '"
          + settings.groupId() + "' is " + (leaving ? "leaving" : "joining")
          + "; the records will be delivered again"));
      return this;
    }
    coordinator().askWithStatus((ActorRef<StatusReply<Done>> r) ->
            new GroupCoordinator.CommitOffsets(memberId, generation, msg.offsets(), r),
            logSettings.askTimeout())
        .whenComplete((done, error) -> {
          if (error != null) {
            msg.result().completeExceptionally(cause(error));
          } else {
            msg.result().complete(done);
          }
        });
    return this;
  }

  private Behavior<Command> onStop(Stop stop) {
    if (stopping) {
      return this;
    }
    stopping = true;
    lose("the source stopped");
    streams.output().shutdown();
    if (generation == 0 && memberId.isEmpty()) {
      return onLeft(new Left());
    }
    // The stream's last commits (a committer flushes when its stream ends) arrive just after
    // the source stopped: they are still accepted for one heartbeat interval, then it leaves.
    timers.startSingleTimer(new LeaveNow(), settings.heartbeatInterval());
    return this;
  }

  private Behavior<Command> onLeaveNow(LeaveNow leaveNow) {
    // Alive until the group is left, refusing commits meanwhile, so none waits on a dead actor.
    leaving = true;
    getContext().pipeToSelf(coordinator().askWithStatus((ActorRef<StatusReply<Done>> r) ->
            new GroupCoordinator.LeaveGroup(memberId, r), logSettings.askTimeout()),
        (done, error) -> new Left());
    return this;
  }

  private Behavior<Command> onLeft(Left left) {
    streams.stopped().complete(Done.getInstance());
    return Behaviors.stopped();
  }

  private Behavior<Command> fail(Throwable error) {
    getContext().getLog().warn("group {}: consumer fails: {}", settings.groupId(),
        error.getMessage());
    streams.output().abort(error);
    getContext().getSelf().tell(new Stop());
    return this;
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<GroupCoordinator.Command>
      coordinator() {
    return GroupCoordinator.ref(getContext().getSystem(), settings.groupId());
  }

  private static Throwable cause(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
