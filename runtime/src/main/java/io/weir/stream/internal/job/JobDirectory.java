package io.weir.stream.internal.job;

import io.weir.api.CborSerializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The ids of every job submitted, in order: one sharded persistent entity (id
 * {@value #ENTITY_ID}). Each job's status lives with its {@link JobMaster}; this only lists them,
 * so that {@code job list} and a restarting node can find them.
 */
public final class JobDirectory extends
    EventSourcedBehavior<JobDirectory.Command, JobDirectory.Registered, JobDirectory.State> {
  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-job-directory");
  /** The one entity id. */
  public static final String ENTITY_ID = "jobs";

  /** The directory's commands. */
  public sealed interface Command extends CborSerializable {}

  /** Record a new job id; replies when it is durable. */
  public record Register(String jobId, ActorRef<Done> replyTo) implements Command {}

  /** Reply with every job id, in order of registration. */
  public record ListJobs(ActorRef<JobIds> replyTo) implements Command {}

  /** The reply to {@link ListJobs}. */
  public record JobIds(List<String> ids) implements CborSerializable {
    /** Copies the list. */
    public JobIds {
      ids = List.copyOf(ids);
    }
  }

  /** The journal's only event: a job was registered. */
  public record Registered(String jobId) implements CborSerializable {}

  /** The ids so far. */
  public record State(List<String> ids) implements CborSerializable {
    /** Copies the list. */
    public State {
      ids = List.copyOf(ids);
    }
  }

  /** Starts sharding of the directory. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> new JobDirectory()));
  }

  /** A reference to the directory. */
  public static EntityRef<Command> ref(ActorSystem<?> system) {
    return ClusterSharding.get(system).entityRefFor(KEY, ENTITY_ID);
  }

  private JobDirectory() {
    super(PersistenceId.of(KEY.name(), ENTITY_ID));
  }

  @Override
  public State emptyState() {
    return new State(List.of());
  }

  @Override
  public CommandHandler<Command, Registered, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Register.class, (state, cmd) -> state.ids().contains(cmd.jobId())
            ? Effect().reply(cmd.replyTo(), Done.getInstance())
            : Effect().persist(new Registered(cmd.jobId()))
                .thenReply(cmd.replyTo(), s -> Done.getInstance()))
        .onCommand(ListJobs.class, (state, cmd) ->
            Effect().reply(cmd.replyTo(), new JobIds(state.ids())))
        .build();
  }

  @Override
  public EventHandler<State, Registered> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Registered.class, (state, e) -> {
          List<String> ids = new ArrayList<>(state.ids());
          ids.add(e.jobId());
          return new State(ids);
        })
        .build();
  }
}
