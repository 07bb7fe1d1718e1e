package io.weir.log.internal;

import io.weir.api.CborSerializable;
import io.weir.api.WeirException;
import io.weir.log.api.ProducerFencedException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import io.weir.log.api.TopicPartition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * The coordinator of one transactional id (a sharded persistent entity, id = the transactional
 * id), as Kafka's transaction coordinator: it hands the producer its id at a new epoch (fencing
 * the previous instance, whose open transaction it aborts), records which partitions a
 * transaction wrote to, and ends a transaction in two steps — it persists the decision, then
 * writes a commit or abort marker into every partition, resuming after a crash until all are
 * written. A transaction that outlives its timeout is aborted at a new epoch, so its producer
 * is fenced.
 */
public final class TransactionCoordinator extends EventSourcedBehavior<
    TransactionCoordinator.Command, TransactionCoordinator.Event, TransactionCoordinator.State> {

  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-transaction-coordinator");

  /** Where a transactional id's current transaction stands. */
  public enum Status { EMPTY, ONGOING, PREPARE_COMMIT, PREPARE_ABORT }

  /** Commands of the coordinator. */
  public sealed interface Command extends CborSerializable {}

  /** Start a producer instance: a new epoch, aborting what an older instance left open. */
  public record InitProducer(long timeoutMs,
      ActorRef<StatusReply<ProducerIdAllocator.ProducerIdentity>> replyTo) implements Command {}

  /** Partitions ({@code topic/partition}) the current transaction is about to write to. */
  public record AddPartitions(long producerId, short epoch, List<String> partitions,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /**
   * Consumer-group offsets (the next offset to read per partition) that commit with the current
   * transaction, and only if it commits — the consume-transform-produce loop's exactly-once.
   */
  public record AddOffsets(long producerId, short epoch, String groupId, String memberId,
      List<GroupCoordinator.OffsetCommit> offsets, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  private record OffsetsRefused(String groupId, String error,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Commit or abort the current transaction; replies once every marker is written. */
  public record EndTransaction(long producerId, short epoch, boolean commit,
      ActorRef<StatusReply<Done>> replyTo) implements Command {}

  private record Allocated(ProducerIdAllocator.ProducerIdentity identity, long timeoutMs,
      String failure, ActorRef<StatusReply<ProducerIdAllocator.ProducerIdentity>> replyTo)
      implements Command {}

  private record MarkersWritten(String failure) implements Command {}

  private record CheckTimeout() implements Command {}

  private record RetryMarkers() implements Command {}

  /** Events of the coordinator. */
  public sealed interface Event extends CborSerializable {}

  /** A producer instance started at this id and epoch. */
  public record ProducerInitialized(long producerId, short epoch, long timeoutMs)
      implements Event {}

  /** The current transaction wrote to these partitions (it started then if it was empty). */
  public record PartitionsAdded(List<String> partitions, long at) implements Event {}

  /** Offsets of a consumer group were added to the current transaction. */
  public record OffsetsAdded(String groupId, List<GroupCoordinator.OffsetCommit> offsets,
      long at) implements Event {}

  /** The group refused offsets added to the transaction: they leave it. */
  public record OffsetsRemoved(String groupId) implements Event {}

  /** The transaction's outcome was decided; markers follow. */
  public record TransactionEnding(boolean commit, short epoch) implements Event {}

  /** Every marker was written. */
  public record TransactionEnded() implements Event {}

  /** The coordinator's state. */
  public record State(long producerId, short epoch, long timeoutMs, Status status,
      Set<String> partitions, long startedAt,
      Map<String, List<GroupCoordinator.OffsetCommit>> offsets) implements CborSerializable {
    /** Copies the partitions and offsets. */
    public State {
      partitions = Set.copyOf(partitions);
      offsets = Map.copyOf(offsets);
    }

    /** The state with another status, partitions and start, keeping the producer. */
    State with(Status newStatus, Set<String> newPartitions, long newStartedAt,
        Map<String, List<GroupCoordinator.OffsetCommit>> newOffsets) {
      return new State(producerId, epoch, timeoutMs, newStatus, newPartitions, newStartedAt,
          newOffsets);
    }
  }

  private final ActorContext<Command> context;
  private final Clock clock;
  private final Duration askTimeout;
  private final List<ActorRef<StatusReply<Done>>> awaitingEnd = new ArrayList<>();
  private final List<Runnable> awaitingInit = new ArrayList<>();

  /** Starts sharding of coordinators. */
  public static void init(ActorSystem<?> system, LogSettings settings, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> Behaviors.setup(context ->
        Behaviors.<Command>withTimers(timers ->
            new TransactionCoordinator(ctx.getEntityId(), context, timers, clock,
                settings.askTimeout())))));
  }

  /** A reference to the coordinator of {@code transactionalId}. */
  public static EntityRef<Command> ref(ActorSystem<?> system, String transactionalId) {
    return ClusterSharding.get(system).entityRefFor(KEY, transactionalId);
  }

  private TransactionCoordinator(String transactionalId, ActorContext<Command> context,
      TimerScheduler<Command> timers, Clock clock, Duration askTimeout) {
    super(PersistenceId.of(KEY.name(), transactionalId));
    this.context = context;
    this.clock = clock;
    this.askTimeout = askTimeout;
    timers.startTimerWithFixedDelay(new CheckTimeout(), Duration.ofSeconds(1));
  }

  private String transactionalId() {
    return persistenceId().id().substring(KEY.name().length() + 1);
  }

  @Override
  public State emptyState() {
    return new State(-1, (short) 0, 60_000, Status.EMPTY, Set.of(), 0, Map.of());
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> {
          if (state.status() == Status.PREPARE_COMMIT || state.status() == Status.PREPARE_ABORT) {
            writeMarkers(state); // the decision stands: finish writing its markers
          }
        })
        .build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(InitProducer.class, (state, cmd) -> {
          context.pipeToSelf(ProducerIdAllocator.ref(context.getSystem()).ask(
                  (ActorRef<ProducerIdAllocator.ProducerIdentity> r) ->
                      new ProducerIdAllocator.Allocate(transactionalId(), r), askTimeout),
              (identity, error) -> new Allocated(identity, cmd.timeoutMs(),
                  error == null ? null : error.getMessage(), cmd.replyTo()));
          return Effect().none();
        })
        .onCommand(Allocated.class, this::onAllocated)
        .onCommand(AddPartitions.class, (state, cmd) -> {
          WeirException refused = cannotAdd(state, cmd.producerId(), cmd.epoch());
          if (refused != null) {
            return Effect().reply(cmd.replyTo(), StatusReply.error(refused));
          }
          if (state.partitions().containsAll(cmd.partitions())
              && state.status() == Status.ONGOING) {
            return Effect().reply(cmd.replyTo(), StatusReply.ack());
          }
          return Effect().persist(new PartitionsAdded(cmd.partitions(), clock.millis()))
              .thenReply(cmd.replyTo(), s -> StatusReply.ack());
        })
        .onCommand(AddOffsets.class, (state, cmd) -> {
          WeirException refused = cannotAdd(state, cmd.producerId(), cmd.epoch());
          if (refused != null) {
            return Effect().reply(cmd.replyTo(), StatusReply.error(refused));
          }
          // Recorded first, so an end of the transaction releases the group whatever happens
          // next; then the group holds the partitions until the transaction ends.
          List<TopicPartition> partitions = cmd.offsets().stream()
              .map(GroupCoordinator.OffsetCommit::topicPartition).toList();
          return Effect().persist(new OffsetsAdded(cmd.groupId(), cmd.offsets(), clock.millis()))
              .thenRun(s -> context.pipeToSelf(
                  GroupCoordinator.ref(context.getSystem(), cmd.groupId())
                      .<Done>askWithStatus((ActorRef<StatusReply<Done>> r) ->
                          new GroupCoordinator.HoldTransactionalOffsets(transactionalId(),
                              partitions, cmd.memberId(), r), askTimeout),
                  (done, error) -> new OffsetsRefused(cmd.groupId(),
                      error == null ? null : error.getMessage(), cmd.replyTo())));
        })
        .onCommand(OffsetsRefused.class, (state, cmd) -> {
          if (cmd.error() == null) {
            return Effect().reply(cmd.replyTo(), StatusReply.ack());
          }
          // The group refused (a zombie consumer, or a partition it lost): these offsets must
          // never commit with the transaction.
          return Effect().persist(new OffsetsRemoved(cmd.groupId()))
              .thenReply(cmd.replyTo(), s -> StatusReply.error(new WeirException(cmd.error())));
        })
        .onCommand(EndTransaction.class, (state, cmd) -> {
          String refused = refuse(state, cmd.producerId(), cmd.epoch());
          if (refused != null) {
            return Effect().reply(cmd.replyTo(),
                StatusReply.error(new ProducerFencedException(refused)));
          }
          if (state.status() == Status.EMPTY) {
            return Effect().reply(cmd.replyTo(), StatusReply.ack());
          }
          awaitingEnd.add(cmd.replyTo());
          if (ending(state)) {
            return Effect().none(); // already ending: answered when its markers are written
          }
          return Effect().persist(new TransactionEnding(cmd.commit(), state.epoch()))
              .thenRun(this::writeMarkers);
        })
        .onCommand(MarkersWritten.class, (state, cmd) -> {
          if (cmd.failure() != null) {
            context.getLog().warn("transaction {}: markers not all written, retrying: {}",
                transactionalId(), cmd.failure());
            context.scheduleOnce(Duration.ofSeconds(1), context.getSelf(), new RetryMarkers());
            return Effect().none();
          }
          return Effect().persist(new TransactionEnded()).thenRun(s -> {
            awaitingEnd.forEach(r -> r.tell(StatusReply.ack()));
            awaitingEnd.clear();
            awaitingInit.forEach(Runnable::run);
            awaitingInit.clear();
          });
        })
        .onCommand(RetryMarkers.class, (state, cmd) -> {
          if (ending(state)) {
            writeMarkers(state);
          }
          return Effect().none();
        })
        .onCommand(CheckTimeout.class, (state, cmd) -> {
          if (state.status() == Status.ONGOING
              && clock.millis() - state.startedAt() > state.timeoutMs()) {
            context.getLog().info("transaction {} timed out after {} ms: aborting",
                transactionalId(), state.timeoutMs());
            // A new epoch fences the producer that let the transaction time out.
            return Effect().persist(List.of(
                    new ProducerInitialized(state.producerId(), (short) (state.epoch() + 1),
                        state.timeoutMs()),
                    new TransactionEnding(false, (short) (state.epoch() + 1))))
                .thenRun(this::writeMarkers);
          }
          return Effect().none();
        })
        .build();
  }

  private Effect<Event, State> onAllocated(State state, Allocated cmd) {
    if (cmd.failure() != null) {
      cmd.replyTo().tell(StatusReply.error("could not allocate a producer id for transactional "
          + "id '" + transactionalId() + "': " + cmd.failure()));
      return Effect().none();
    }
    // The allocator's epoch is authoritative; never go below an epoch used for a timeout abort.
    short epoch = (short) Math.max(cmd.identity().epoch(), state.epoch() + 1);
    ProducerIdAllocator.ProducerIdentity identity =
        new ProducerIdAllocator.ProducerIdentity(cmd.identity().producerId(), epoch);
    List<Event> events = new ArrayList<>();
    events.add(new ProducerInitialized(identity.producerId(), epoch, cmd.timeoutMs()));
    if (state.status() == Status.ONGOING) {
      events.add(new TransactionEnding(false, epoch)); // the old instance's work is aborted
    }
    boolean pending = state.status() != Status.EMPTY;
    return Effect().persist(events).thenRun(s -> {
      Runnable reply = () -> cmd.replyTo().tell(StatusReply.success(identity));
      if (pending) {
        // The new instance starts once the old instance's transaction has ended.
        awaitingInit.add(reply);
        writeMarkers(s);
      } else {
        reply.run();
      }
    });
  }

  private static String refuse(State state, long producerId, short epoch) {
    if (producerId != state.producerId() || epoch != state.epoch()) {
      return "producer " + producerId + " epoch " + epoch + " is fenced: the transactional id "
          + "now belongs to producer " + state.producerId() + " epoch " + state.epoch();
    }
    return null;
  }

  /** Why the current transaction cannot take more partitions or offsets now, or null. */
  private WeirException cannotAdd(State state, long producerId, short epoch) {
    String fenced = refuse(state, producerId, epoch);
    if (fenced != null) {
      return new ProducerFencedException(fenced);
    }
    if (ending(state)) {
      return new WeirException(
          "the previous transaction of '" + transactionalId() + "' is still ending");
    }
    return null;
  }

  private static boolean ending(State state) {
    return state.status() == Status.PREPARE_COMMIT || state.status() == Status.PREPARE_ABORT;
  }

  private void writeMarkers(State state) {
    boolean commit = state.status() == Status.PREPARE_COMMIT;
    List<CompletableFuture<Long>> writes = new ArrayList<>();
    for (String p : state.partitions()) {
      int slash = p.lastIndexOf('/');
      writes.add(PartitionEntity.ref(context.getSystem(), p.substring(0, slash),
              Integer.parseInt(p.substring(slash + 1)))
          .<Long>askWithStatus((ActorRef<StatusReply<Long>> r) -> new PartitionEntity.WriteTxnMarker(
              state.producerId(), state.epoch(), commit, r), askTimeout)
          .toCompletableFuture());
    }
    // The group offsets commit with the transaction's records, and only then; an abort just
    // releases the partitions the groups held for it.
    state.offsets().forEach((group, offsets) -> writes.add(
        GroupCoordinator.ref(context.getSystem(), group)
            .<Done>askWithStatus((ActorRef<StatusReply<Done>> r) -> commit
                ? new GroupCoordinator.CommitTransactionalOffsets(transactionalId(), offsets, r)
                : new GroupCoordinator.ReleaseTransactionalOffsets(transactionalId(), r),
                askTimeout)
            .thenApply(done -> -1L)
            .toCompletableFuture()));
    CompletionStage<Void> all = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    context.pipeToSelf(all, (v, error) -> new MarkersWritten(
        error == null ? null : error.getMessage()));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(ProducerInitialized.class, (s, e) -> new State(e.producerId(), e.epoch(),
            e.timeoutMs(), s.status(), s.partitions(), s.startedAt(), s.offsets()))
        .onEvent(PartitionsAdded.class, (s, e) -> {
          Set<String> partitions = new TreeSet<>(s.partitions());
          partitions.addAll(e.partitions());
          return s.with(Status.ONGOING, partitions,
              s.status() == Status.EMPTY ? e.at() : s.startedAt(), s.offsets());
        })
        .onEvent(OffsetsAdded.class, (s, e) -> {
          Map<TopicPartition, GroupCoordinator.OffsetCommit> merged = new LinkedHashMap<>();
          s.offsets().getOrDefault(e.groupId(), List.of())
              .forEach(o -> merged.put(o.topicPartition(), o));
          e.offsets().forEach(o -> merged.put(o.topicPartition(), o));
          Map<String, List<GroupCoordinator.OffsetCommit>> offsets = new HashMap<>(s.offsets());
          offsets.put(e.groupId(), List.copyOf(merged.values()));
          return s.with(Status.ONGOING, s.partitions(),
              s.status() == Status.EMPTY ? e.at() : s.startedAt(), offsets);
        })
        .onEvent(OffsetsRemoved.class, (s, e) -> {
          Map<String, List<GroupCoordinator.OffsetCommit>> offsets = new HashMap<>(s.offsets());
          offsets.remove(e.groupId());
          return s.with(s.status(), s.partitions(), s.startedAt(), offsets);
        })
        .onEvent(TransactionEnding.class, (s, e) -> s.with(
            e.commit() ? Status.PREPARE_COMMIT : Status.PREPARE_ABORT, s.partitions(),
            s.startedAt(), s.offsets()))
        .onEvent(TransactionEnded.class, (s, e) -> s.with(Status.EMPTY, Set.of(), 0, Map.of()))
        .build();
  }
}
