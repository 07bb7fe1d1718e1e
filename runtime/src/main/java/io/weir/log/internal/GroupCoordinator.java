package io.weir.log.internal;

import io.weir.api.CborSerializable;
import io.weir.log.api.AssignmentStrategy;
import io.weir.log.api.GroupNotEmptyException;
import io.weir.log.api.IllegalGenerationException;
import io.weir.log.api.PartitionNotAssignedException;
import io.weir.log.api.RebalanceInProgressException;
import io.weir.log.api.TopicPartition;
import io.weir.log.api.UnknownGroupException;
import io.weir.log.api.UnknownMemberException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The coordinator of one consumer group: a sharded persistent entity (entity id = group name)
 * that runs the group's membership protocol and stores its committed offsets.
 *
 * <p>Protocol (Kafka's, with the assignment computed here): a member sends {@link JoinGroup};
 * the group enters {@code PreparingRebalance} and every member learns it from its next
 * {@link Heartbeat} and joins again. When all have joined (or their session timeout has passed)
 * the coordinator computes the assignment with the group's strategy, increments the generation,
 * persists it ({@link GenerationStarted}) and answers the joins; each member then fetches its
 * partitions with {@link SyncGroup}. A partition that moves from one live member to another is
 * not handed over in the same generation: the old owner is told to revoke it (it may still
 * commit it), stops reading it and joins again, and the follow-up rebalance gives it to its new
 * owner. So no partition has two readers at once, and partitions that do not move are read
 * throughout (incremental cooperative rebalancing, for every strategy).
 *
 * <p>Commits name the member and its generation; a stale generation, an unknown member, or a
 * partition the member does not own is refused with a specific error. Each commit batch is one
 * event.
 */
public final class GroupCoordinator
    extends EventSourcedBehavior<GroupCoordinator.Command, GroupCoordinator.Event, GroupState> {

  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-consumer-group");

  /** How often member sessions are checked (cheap; only while the group has members). */
  private static final Duration SESSION_CHECK = Duration.ofMillis(200);

  /** Commands the coordinator handles. */
  public sealed interface Command extends CborSerializable {}

  /**
   * Join (or rejoin) the group; the reply comes when the rebalance completes.
   *
   * @param memberId the member's id, or "" for a new member
   * @param partitionCounts partitions per subscribed topic, as the member looked them up
   */
  public record JoinGroup(String memberId, String clientId, List<String> topics,
      Map<String, Integer> partitionCounts, AssignmentStrategy strategy, long sessionTimeoutMs,
      ActorRef<StatusReply<Joined>> replyTo) implements Command {}

  /** The reply to {@link JoinGroup}: the new generation and the member's id in it. */
  public record Joined(int generation, String memberId, String leaderId, List<String> memberIds)
      implements CborSerializable {}

  /** Fetch the member's assignment in {@code generation}. */
  public record SyncGroup(String memberId, int generation,
      ActorRef<StatusReply<Assignment>> replyTo) implements Command {}

  /** The reply to {@link SyncGroup}. */
  public record Assignment(int generation, List<TopicPartition> partitions,
      List<TopicPartition> revoking) implements CborSerializable {}

  /** Keep the member's session alive; the reply says whether it must join again. */
  public record Heartbeat(String memberId, int generation,
      ActorRef<StatusReply<HeartbeatAck>> replyTo) implements Command {}

  /** The reply to {@link Heartbeat}. */
  public record HeartbeatAck(boolean rebalanceInProgress) implements CborSerializable {}

  /** Leave the group now; its partitions move without waiting for the session timeout. */
  public record LeaveGroup(String memberId, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * An open transaction holds offsets of these partitions: until it ends, a member newly
   * assigned one of them waits before reading (so it does not start from an offset the
   * transaction is about to move). Sent by the transaction coordinator when offsets are added.
   */
  public record HoldTransactionalOffsets(String transactionalId, List<TopicPartition> partitions,
      String memberId, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** The transaction ended by aborting: its held partitions are released, nothing committed. */
  public record ReleaseTransactionalOffsets(String transactionalId,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Commit offsets as part of a committed transaction (sent by its transaction coordinator once
   * the transaction's outcome is commit). Not checked against members: the producer's epoch
   * fenced zombies when the offsets were added, and the transaction has committed.
   */
  public record CommitTransactionalOffsets(String transactionalId, List<OffsetCommit> offsets,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Commit offsets (the next offset to read, per partition) as one batch. */
  public record CommitOffsets(String memberId, int generation, List<OffsetCommit> offsets,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** One offset of a commit. */
  public record OffsetCommit(TopicPartition topicPartition, long offset, String metadata) {}

  /** Set committed offsets by hand; refused unless the group has no members. */
  public record ResetOffsets(List<OffsetCommit> offsets, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** Describe the group: state, generation, members and committed offsets. */
  public record Describe(ActorRef<StatusReply<Snapshot>> replyTo) implements Command {}

  /** The reply to {@link Describe}; {@code pending} are partitions an open transaction holds. */
  public record Snapshot(String state, int generation, AssignmentStrategy strategy,
      List<GroupState.Member> members, List<GroupState.Committed> offsets,
      List<TopicPartition> pending) implements CborSerializable {}

  private record CheckSessions() implements Command {}

  private record JoinDeadline(long rebalance) implements Command {}

  /** Events of a group's journal. */
  public sealed interface Event extends CborSerializable {}

  /** A rebalance completed: the new generation's members and assignments (none when empty). */
  public record GenerationStarted(int generation, AssignmentStrategy strategy, String leaderId,
      List<GroupState.Member> members) implements Event {}

  /** One batch of offsets committed by a member of {@code generation}. */
  public record OffsetsCommitted(String memberId, int generation, long timestamp,
      List<OffsetCommit> offsets) implements Event {}

  /** Offsets set by an administrator while the group had no members. */
  public record OffsetsReset(long timestamp, List<OffsetCommit> offsets) implements Event {}

  /** An open transaction holds these partitions' offsets. */
  public record TransactionalOffsetsHeld(String transactionalId, List<TopicPartition> partitions)
      implements Event {}

  /** A transaction ended: the partitions it held are released. */
  public record TransactionalOffsetsReleased(String transactionalId) implements Event {}

  private final String groupId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Clock clock;
  // The protocol's transient side: lost on restart, when members simply join again.
  private final Map<String, JoinGroup> joining = new LinkedHashMap<>();
  private final Map<String, Long> lastSeen = new HashMap<>();
  private final Set<String> departed = new HashSet<>();
  private final Set<String> synced = new HashSet<>();
  private final Map<String, Integer> partitionCounts = new HashMap<>();
  private boolean preparing;
  private long rebalances;

  /** Starts sharding of group coordinators on {@code system}. */
  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> create(ctx.getEntityId(), clock)));
  }

  /** A reference to the coordinator of {@code groupId}. */
  public static EntityRef<Command> ref(ActorSystem<?> system, String groupId) {
    return ClusterSharding.get(system).entityRefFor(KEY, groupId);
  }

  /** The coordinator of {@code groupId} (journal: the default plugin). */
  public static Behavior<Command> create(String groupId, Clock clock) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new GroupCoordinator(groupId, ctx, timers, clock)));
  }

  private GroupCoordinator(String groupId, ActorContext<Command> context,
      TimerScheduler<Command> timers, Clock clock) {
    super(PersistenceId.of(KEY.name(), groupId));
    this.groupId = groupId;
    this.context = context;
    this.timers = timers;
    this.clock = clock;
  }

  @Override
  public GroupState emptyState() {
    return GroupState.empty();
  }

  @Override
  public SignalHandler<GroupState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      // Recovered members get a full session to show they are alive.
      state.members().keySet().forEach(id -> lastSeen.put(id, clock.millis()));
      synced.addAll(state.members().keySet());
      timers.startTimerWithFixedDelay(new CheckSessions(), SESSION_CHECK);
    }).build();
  }

  @Override
  public CommandHandler<Command, Event, GroupState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(JoinGroup.class, this::onJoin)
        .onCommand(SyncGroup.class, this::onSync)
        .onCommand(Heartbeat.class, this::onHeartbeat)
        .onCommand(LeaveGroup.class, this::onLeave)
        .onCommand(CommitOffsets.class, this::onCommit)
        .onCommand(HoldTransactionalOffsets.class, (state, cmd) -> {
          RuntimeException refused = cmd.memberId() == null ? null
              : checkOwner(state, cmd.memberId(), cmd.partitions());
          if (refused != null) {
            return Effect().reply(cmd.replyTo(), StatusReply.error(refused));
          }
          return Effect()
              .persist(new TransactionalOffsetsHeld(cmd.transactionalId(), cmd.partitions()))
              .thenRun(after -> cmd.replyTo().tell(StatusReply.success(Done.getInstance())));
        })
        .onCommand(ReleaseTransactionalOffsets.class, (state, cmd) -> Effect()
            .persist(new TransactionalOffsetsReleased(cmd.transactionalId()))
            .thenRun(after -> cmd.replyTo().tell(StatusReply.success(Done.getInstance()))))
        .onCommand(CommitTransactionalOffsets.class, (state, cmd) -> Effect()
            .persist(List.of(
                new OffsetsCommitted("transaction " + cmd.transactionalId(), state.generation(),
                    clock.millis(), cmd.offsets()),
                new TransactionalOffsetsReleased(cmd.transactionalId())))
            .thenRun(after -> cmd.replyTo().tell(StatusReply.success(Done.getInstance()))))
        .onCommand(ResetOffsets.class, this::onReset)
        .onCommand(Describe.class, this::onDescribe)
        .onCommand(CheckSessions.class, this::onCheckSessions)
        .onCommand(JoinDeadline.class, (state, cmd) ->
            cmd.rebalance() == rebalances && preparing ? completeRebalance(state) : Effect().none())
        .build();
  }

  private Effect<Event, GroupState> onJoin(GroupState state, JoinGroup cmd) {
    boolean known = state.members().containsKey(cmd.memberId())
        || joining.containsKey(cmd.memberId());
    if (!cmd.memberId().isEmpty() && !known) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(new UnknownMemberException(
          "group '" + groupId + "' has no member '" + cmd.memberId() + "'; join as a new member")));
    }
    AssignmentStrategy current = !state.members().isEmpty() ? state.strategy()
        : joining.values().stream().findFirst().map(JoinGroup::strategy).orElse(null);
    if (current != null && current != cmd.strategy()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(new IllegalArgumentException(
          "group '" + groupId + "' uses assignment strategy " + current.id() + ", not "
              + cmd.strategy().id())));
    }
    String memberId = cmd.memberId().isEmpty()
        ? cmd.clientId() + "-" + UUID.randomUUID() : cmd.memberId();
    joining.put(memberId, new JoinGroup(memberId, cmd.clientId(), cmd.topics(),
        cmd.partitionCounts(), cmd.strategy(), cmd.sessionTimeoutMs(), cmd.replyTo()));
    partitionCounts.putAll(cmd.partitionCounts());
    lastSeen.put(memberId, clock.millis());
    departed.remove(memberId);
    prepareRebalance(state);
    return completeIfAllJoined(state);
  }

  private void prepareRebalance(GroupState state) {
    if (preparing) {
      return;
    }
    preparing = true;
    rebalances++;
    long wait = joining.values().stream().mapToLong(JoinGroup::sessionTimeoutMs).max().orElse(0);
    for (GroupState.Member m : state.members().values()) {
      wait = Math.max(wait, m.sessionTimeoutMs());
    }
    timers.startSingleTimer(new JoinDeadline(rebalances), Duration.ofMillis(wait));
  }

  private Effect<Event, GroupState> completeIfAllJoined(GroupState state) {
    for (String member : state.members().keySet()) {
      if (!joining.containsKey(member) && !departed.contains(member)) {
        return Effect().none();
      }
    }
    return completeRebalance(state);
  }

  /** Computes the next generation from the members that joined, persists it, answers joins. */
  private Effect<Event, GroupState> completeRebalance(GroupState state) {
    Map<String, List<String>> subscriptions = new HashMap<>();
    joining.forEach((id, join) -> subscriptions.put(id, join.topics()));
    Map<String, List<TopicPartition>> previous = new HashMap<>();
    state.members().forEach((id, m) -> previous.put(id, m.assignment()));
    AssignmentStrategy strategy = joining.isEmpty() ? null
        : joining.values().iterator().next().strategy();
    Map<String, List<TopicPartition>> target = strategy == null ? Map.of()
        : Assignors.assign(strategy, subscriptions, partitionCounts, previous);
    Map<String, Assignors.Handover> handover = Assignors.handOver(target, previous);
    List<GroupState.Member> members = joining.values().stream().map(join ->
        new GroupState.Member(join.memberId(), join.clientId(), join.topics(),
            join.sessionTimeoutMs(), handover.get(join.memberId()).assigned(),
            handover.get(join.memberId()).revoking())).toList();
    String leader = state.leaderId() != null && joining.containsKey(state.leaderId())
        ? state.leaderId()
        : joining.keySet().stream().findFirst().orElse(null);
    Map<String, JoinGroup> answered = new LinkedHashMap<>(joining);
    joining.clear();
    departed.clear();
    synced.clear();
    preparing = false;
    GenerationStarted event = new GenerationStarted(state.generation() + 1, strategy, leader,
        members);
    return Effect().persist(event).thenRun(after -> {
      List<String> ids = List.copyOf(after.members().keySet());
      lastSeen.keySet().retainAll(after.members().keySet());
      answered.values().forEach(join -> {
        lastSeen.put(join.memberId(), clock.millis());
        join.replyTo().tell(StatusReply.success(
            new Joined(after.generation(), join.memberId(), leader, ids)));
      });
    });
  }

  private Effect<Event, GroupState> onSync(GroupState state, SyncGroup cmd) {
    RuntimeException refused = checkMember(state, cmd.memberId(), cmd.generation());
    if (refused != null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(refused));
    }
    GroupState.Member m = state.members().get(cmd.memberId());
    synced.add(cmd.memberId());
    lastSeen.put(cmd.memberId(), clock.millis());
    return Effect().reply(cmd.replyTo(), StatusReply.success(
        new Assignment(state.generation(), m.assignment(), m.revoking())));
  }

  private Effect<Event, GroupState> onHeartbeat(GroupState state, Heartbeat cmd) {
    RuntimeException refused = checkMember(state, cmd.memberId(), cmd.generation());
    if (refused != null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(refused));
    }
    lastSeen.put(cmd.memberId(), clock.millis());
    return Effect().reply(cmd.replyTo(), StatusReply.success(new HeartbeatAck(preparing)));
  }

  private Effect<Event, GroupState> onLeave(GroupState state, LeaveGroup cmd) {
    if (!state.members().containsKey(cmd.memberId()) && !joining.containsKey(cmd.memberId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(Done.getInstance()));
    }
    cmd.replyTo().tell(StatusReply.success(Done.getInstance()));
    return removeMembers(state, Set.of(cmd.memberId()));
  }

  private Effect<Event, GroupState> removeMembers(GroupState state, Set<String> gone) {
    for (String id : gone) {
      JoinGroup pending = joining.remove(id);
      if (pending != null) {
        pending.replyTo().tell(StatusReply.error(new UnknownMemberException("member '" + id
            + "' of group '" + groupId + "' left or missed its session timeout")));
      }
      lastSeen.remove(id);
      if (state.members().containsKey(id)) {
        departed.add(id);
      }
    }
    prepareRebalance(state);
    return completeIfAllJoined(state);
  }

  private Effect<Event, GroupState> onCheckSessions(GroupState state, CheckSessions cmd) {
    long now = clock.millis();
    Set<String> expired = new HashSet<>();
    Map<String, Long> timeouts = new HashMap<>();
    state.members().values().forEach(m -> timeouts.put(m.memberId(), m.sessionTimeoutMs()));
    joining.values().forEach(j -> timeouts.put(j.memberId(), j.sessionTimeoutMs()));
    timeouts.forEach((id, timeout) -> {
      // A member waiting for its join to complete is alive by definition.
      if (!joining.containsKey(id) && !departed.contains(id)
          && now - lastSeen.getOrDefault(id, now) > timeout) {
        expired.add(id);
      }
    });
    if (expired.isEmpty()) {
      return Effect().none();
    }
    context.getLog().info("group {}: members {} missed their session timeout", groupId, expired);
    return removeMembers(state, expired);
  }

  /** Null when {@code memberId} is a member of the current generation, else the error. */
  /**
   * Refuses offsets of a member that is gone or no longer owns a partition (a zombie consumer
   * after a rebalance), as Kafka checks a transactional offset commit.
   */
  private RuntimeException checkOwner(GroupState state, String memberId,
      List<TopicPartition> partitions) {
    GroupState.Member member = state.members().get(memberId);
    if (member == null) {
      return new UnknownMemberException("group '" + groupId + "' has no member '" + memberId
          + "' (it left or missed its session timeout); its offsets cannot join a transaction");
    }
    for (TopicPartition tp : partitions) {
      if (!member.mayCommit(tp)) {
        return new PartitionNotAssignedException("partition " + tp + " is not assigned to member '"
            + memberId + "' of group '" + groupId + "' any more; abort the transaction");
      }
    }
    return null;
  }

  private RuntimeException checkMember(GroupState state, String memberId, int generation) {
    if (!state.members().containsKey(memberId)) {
      return new UnknownMemberException("group '" + groupId + "' has no member '" + memberId
          + "' (it left or missed its session timeout); join again");
    }
    if (generation != state.generation()) {
      return new IllegalGenerationException("member '" + memberId + "' of group '" + groupId
          + "' speaks for generation " + generation + " but the group is at generation "
          + state.generation() + "; join again");
    }
    return null;
  }

  private Effect<Event, GroupState> onCommit(GroupState state, CommitOffsets cmd) {
    RuntimeException refused = checkMember(state, cmd.memberId(), cmd.generation());
    GroupState.Member m = state.members().get(cmd.memberId());
    for (int i = 0; refused == null && i < cmd.offsets().size(); i++) {
      TopicPartition tp = cmd.offsets().get(i).topicPartition();
      if (!m.mayCommit(tp)) {
        String why = "partition " + tp + " is not assigned to member '" + cmd.memberId()
            + "' in generation " + state.generation() + " of group '" + groupId + "'";
        refused = preparing || !synced.containsAll(state.members().keySet())
            ? new RebalanceInProgressException(why + "; a rebalance is in progress")
            : new PartitionNotAssignedException(why);
      }
    }
    if (refused != null) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(refused));
    }
    return Effect().persist(new OffsetsCommitted(cmd.memberId(), cmd.generation(),
            clock.millis(), cmd.offsets()))
        .thenRun(after -> cmd.replyTo().tell(StatusReply.success(Done.getInstance())));
  }

  private Effect<Event, GroupState> onReset(GroupState state, ResetOffsets cmd) {
    if (!state.members().isEmpty() || !joining.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(new GroupNotEmptyException(
          "group '" + groupId + "' has " + Math.max(state.members().size(), joining.size())
              + " active member(s); stop its consumers before resetting offsets")));
    }
    return Effect().persist(new OffsetsReset(clock.millis(), cmd.offsets()))
        .thenRun(after -> cmd.replyTo().tell(StatusReply.success(Done.getInstance())));
  }

  private Effect<Event, GroupState> onDescribe(GroupState state, Describe cmd) {
    if (lastSequenceNumber(context) == 0 && joining.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(
          new UnknownGroupException("unknown consumer group '" + groupId + "'")));
    }
    String phase = preparing ? "PreparingRebalance"
        : state.members().isEmpty() ? "Empty"
        : synced.containsAll(state.members().keySet()) ? "Stable" : "CompletingRebalance";
    return Effect().reply(cmd.replyTo(), StatusReply.success(new Snapshot(phase,
        state.generation(), state.strategy(), List.copyOf(state.members().values()),
        List.copyOf(state.offsets().values()), List.copyOf(state.pending().keySet()))));
  }

  @Override
  public EventHandler<GroupState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(GenerationStarted.class, (state, e) ->
            state.withGeneration(e.generation(), e.strategy(), e.leaderId(), e.members()))
        .onEvent(OffsetsCommitted.class, (state, e) -> state.withOffsets(e.offsets().stream()
            .map(o -> new GroupState.Committed(o.topicPartition(), o.offset(), o.metadata(),
                e.generation(), e.timestamp())).toList()))
        .onEvent(TransactionalOffsetsHeld.class, (state, e) ->
            state.withPending(e.transactionalId(), e.partitions()))
        .onEvent(TransactionalOffsetsReleased.class, (state, e) ->
            state.withoutPending(e.transactionalId()))
        .onEvent(OffsetsReset.class, (state, e) -> state.withOffsets(e.offsets().stream()
            .map(o -> new GroupState.Committed(o.topicPartition(), o.offset(), o.metadata(), -1,
                e.timestamp())).toList()))
        .build();
  }
}
