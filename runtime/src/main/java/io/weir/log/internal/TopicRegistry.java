package io.weir.log.internal;

import io.weir.api.CborSerializable;
import io.weir.log.api.InvalidTopicException;
import io.weir.log.api.TopicConfig;
import io.weir.log.api.TopicDescription;
import io.weir.log.api.TopicExistsException;
import io.weir.log.api.UnknownTopicException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
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
 * The registry of topics: one sharded persistent entity (id {@value #ENTITY_ID}) that owns every
 * topic's name, partition count and configuration. Partitions ask it for their topic's
 * configuration when they start; producers ask it for partition counts.
 */
public final class TopicRegistry
    extends EventSourcedBehavior<TopicRegistry.Command, TopicRegistry.Event, TopicRegistry.State> {

  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-topic-registry");
  /** The one entity id. */
  public static final String ENTITY_ID = "topics";

  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  /** Commands the registry handles. */
  public sealed interface Command extends CborSerializable {}

  /** Create a topic; replies with its description or an error. */
  public record CreateTopic(String name, int partitions, Map<String, String> config,
      long createdAt, ActorRef<StatusReply<TopicDescription>> replyTo) implements Command {}

  /** Delete a topic; replies with its last description, or an error if unknown. */
  public record DeleteTopic(String name, ActorRef<StatusReply<TopicDescription>> replyTo)
      implements Command {}

  /** Describe one topic; replies with it, or an empty lookup when unknown. */
  public record GetTopic(String name, ActorRef<TopicLookup> replyTo) implements Command {}

  /** List every topic in name order. */
  public record ListTopics(ActorRef<TopicList> replyTo) implements Command {}

  /** The reply to {@link GetTopic}: the topic, or null when there is none of that name. */
  public record TopicLookup(TopicDescription topic) implements CborSerializable {
    /** The topic, if it exists. */
    public Optional<TopicDescription> asOptional() {
      return Optional.ofNullable(topic);
    }
  }

  /** The reply to {@link ListTopics}. */
  public record TopicList(List<TopicDescription> topics) implements CborSerializable {
    /** Copies the list. */
    public TopicList {
      topics = List.copyOf(topics);
    }
  }

  /** Events of the registry's journal. */
  public sealed interface Event extends CborSerializable {}

  /** A topic was created. */
  public record TopicCreated(TopicDescription topic) implements Event {}

  /** A topic was deleted. */
  public record TopicDeleted(String name) implements Event {}

  /** The registry's state: topics by name. */
  public record State(Map<String, TopicDescription> topics) implements CborSerializable {
    /** Copies the map. */
    public State {
      topics = Map.copyOf(topics);
    }
  }

  /** Starts sharding of the registry on {@code system}. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> create()));
  }

  /** A reference to the registry entity. */
  public static EntityRef<Command> ref(ActorSystem<?> system) {
    return ClusterSharding.get(system).entityRefFor(KEY, ENTITY_ID);
  }

  /** The registry's behavior (journal: the default plugin). */
  public static Behavior<Command> create() {
    return new TopicRegistry();
  }

  private TopicRegistry() {
    super(PersistenceId.of(KEY.name(), ENTITY_ID));
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(CreateTopic.class, this::onCreate)
        .onCommand(DeleteTopic.class, (state, cmd) -> {
          TopicDescription topic = state.topics().get(cmd.name());
          if (topic == null) {
            return Effect().reply(cmd.replyTo(), StatusReply.error(
                new UnknownTopicException("unknown topic '" + cmd.name() + "'")));
          }
          return Effect().persist(new TopicDeleted(cmd.name()))
              .thenReply(cmd.replyTo(), s -> StatusReply.success(topic));
        })
        .onCommand(GetTopic.class, (state, cmd) ->
            Effect().reply(cmd.replyTo(), new TopicLookup(state.topics().get(cmd.name()))))
        .onCommand(ListTopics.class, (state, cmd) ->
            Effect().reply(cmd.replyTo(),
                new TopicList(List.copyOf(new TreeMap<>(state.topics()).values()))))
        .build();
  }

  private org.apache.pekko.persistence.typed.javadsl.ReplyEffect<Event, State> onCreate(
      State state, CreateTopic cmd) {
    TopicDescription topic;
    try {
      if (!LEGAL_NAME.matcher(cmd.name()).matches()) {
        throw new InvalidTopicException("invalid topic name '" + cmd.name()
            + "': use 1 to 249 letters, digits, '.', '_' or '-'");
      }
      if (state.topics().containsKey(cmd.name())) {
        throw new TopicExistsException("topic '" + cmd.name() + "' already exists");
      }
      topic = new TopicDescription(cmd.name(), cmd.partitions(),
          TopicConfig.defaults().with(cmd.config()), cmd.createdAt());
    } catch (RuntimeException e) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(e));
    }
    return Effect().persist(new TopicCreated(topic))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(topic));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(TopicCreated.class, (state, e) -> {
          Map<String, TopicDescription> topics = new TreeMap<>(state.topics());
          topics.put(e.topic().name(), e.topic());
          return new State(topics);
        })
        .onEvent(TopicDeleted.class, (state, e) -> {
          Map<String, TopicDescription> topics = new TreeMap<>(state.topics());
          topics.remove(e.name());
          return new State(topics);
        })
        .build();
  }
}
