package io.weir.log.internal;

import io.weir.api.CborSerializable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
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
 * The names of every consumer group ever used: one sharded persistent entity (id
 * {@value #ENTITY_ID}), so groups can be listed without scanning journals (coordinators are
 * sharded by group name and cannot be enumerated). A group is registered when a consumer first
 * joins it; registering a known group persists nothing.
 */
public final class GroupDirectory
    extends EventSourcedBehavior<GroupDirectory.Command, GroupDirectory.Event, GroupDirectory.State> {

  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-consumer-group-directory");
  /** The one entity id. */
  public static final String ENTITY_ID = "groups";

  /** Commands of the directory. */
  public sealed interface Command extends CborSerializable {}

  /** Remember a group; replies when durable. */
  public record RegisterGroup(String groupId, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** List every group in name order. */
  public record ListGroups(ActorRef<GroupList> replyTo) implements Command {}

  /** The reply to {@link ListGroups}. */
  public record GroupList(List<String> groupIds) implements CborSerializable {
    /** Copies the list. */
    public GroupList {
      groupIds = List.copyOf(groupIds);
    }
  }

  /** Events of the directory's journal. */
  public sealed interface Event extends CborSerializable {}

  /** A group was used for the first time. */
  public record GroupRegistered(String groupId) implements Event {}

  /** The known group names. */
  record State(Set<String> groupIds) {
    State {
      groupIds = Set.copyOf(groupIds);
    }
  }

  /** Starts sharding of the directory on {@code system}. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> create()));
  }

  /** A reference to the directory entity. */
  public static EntityRef<Command> ref(ActorSystem<?> system) {
    return ClusterSharding.get(system).entityRefFor(KEY, ENTITY_ID);
  }

  /** The directory's behavior (journal: the default plugin). */
  public static Behavior<Command> create() {
    return new GroupDirectory();
  }

  private GroupDirectory() {
    super(PersistenceId.of(KEY.name(), ENTITY_ID));
  }

  @Override
  public State emptyState() {
    return new State(Set.of());
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(RegisterGroup.class, (state, cmd) -> state.groupIds().contains(cmd.groupId())
            ? Effect().reply(cmd.replyTo(), StatusReply.success(Done.getInstance()))
            : Effect().persist(new GroupRegistered(cmd.groupId()))
                .thenReply(cmd.replyTo(), s -> StatusReply.success(Done.getInstance())))
        .onCommand(ListGroups.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
            new GroupList(List.copyOf(new TreeSet<>(state.groupIds())))))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(GroupRegistered.class, (state, e) -> {
          Set<String> ids = new TreeSet<>(state.groupIds());
          ids.add(e.groupId());
          return new State(ids);
        })
        .build();
  }
}
