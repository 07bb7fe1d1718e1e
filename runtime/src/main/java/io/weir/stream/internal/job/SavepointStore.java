package io.weir.stream.internal.job;

import io.weir.api.CborSerializable;
import io.weir.stream.api.CheckpointStats;
import io.weir.stream.internal.exec.SubtaskSnapshot;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * One savepoint: a sharded persistent entity ({@code weir-savepoint/<id>}) holding a completed
 * checkpoint apart from the job that took it, so the job may end and another job may start
 * from it, with another parallelism.
 */
public final class SavepointStore extends EventSourcedBehavior<SavepointStore.Command,
    SavepointStore.Saved, SavepointStore.State> {
  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-savepoint");

  /** The store's commands. */
  public sealed interface Command extends CborSerializable {}

  /** Keep a savepoint; refused when this id holds one already. */
  public record Store(Saved savepoint, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  /** Reply with the savepoint, or an error when there is none of this id. */
  public record Load(ActorRef<StatusReply<Saved>> replyTo) implements Command {}

  /**
   * The savepoint, the store's only event.
   *
   * @param jobId the job that took it
   * @param definition its definition's class name
   * @param stats the checkpoint's statistics
   * @param snapshots every subtask's snapshot
   * @param enumerators every connector source's enumerator state
   */
  public record Saved(String jobId, String definition, CheckpointStats stats,
      List<SubtaskSnapshot> snapshots, List<JobMaster.EnumeratorState> enumerators)
      implements CborSerializable {
    /** Copies the lists. */
    public Saved {
      snapshots = List.copyOf(snapshots);
      enumerators = List.copyOf(enumerators);
    }
  }

  /** The savepoint, or null before it is stored. */
  public record State(Saved saved) implements CborSerializable {}

  /** Starts sharding of savepoints. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> new SavepointStore(ctx.getEntityId())));
  }

  /** A savepoint's entity. */
  public static EntityRef<Command> ref(ActorSystem<?> system, String id) {
    return ClusterSharding.get(system).entityRefFor(KEY, id);
  }

  private final String id;

  private SavepointStore(String id) {
    super(PersistenceId.of(KEY.name(), id));
    this.id = id;
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public CommandHandler<Command, Saved, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Store.class, (state, cmd) -> state.saved() != null
            // The same checkpoint of the same job kept again: it is there already.
            ? Effect().reply(cmd.replyTo(), sameCheckpoint(state.saved(), cmd.savepoint())
                ? StatusReply.success(Done.getInstance())
                : StatusReply.error("savepoint '" + id + "' exists already"))
            : Effect().persist(cmd.savepoint())
                .thenReply(cmd.replyTo(), s -> StatusReply.success(Done.getInstance())))
        .onCommand(Load.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            state.saved() == null
                ? StatusReply.error("no savepoint with id '" + id + "'")
                : StatusReply.success(state.saved())))
        .build();
  }

  private static boolean sameCheckpoint(Saved a, Saved b) {
    return a.jobId().equals(b.jobId()) && a.stats().id() == b.stats().id();
  }

  @Override
  public EventHandler<State, Saved> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Saved.class, (state, e) -> new State(e))
        .build();
  }
}
