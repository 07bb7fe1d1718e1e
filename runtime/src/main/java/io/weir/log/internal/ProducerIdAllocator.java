package io.weir.log.internal;

import io.weir.api.CborSerializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * Hands out producer ids (one sharded persistent entity, id {@value #ENTITY_ID}). A producer
 * without a transactional id gets a fresh id at epoch 0; a producer with one gets the id that
 * transactional id always had, at an epoch one higher than before, so every partition refuses
 * the previous instance's writes from then on (zombie fencing).
 */
public final class ProducerIdAllocator extends
    EventSourcedBehavior<ProducerIdAllocator.Command, ProducerIdAllocator.Event,
        ProducerIdAllocator.State> {

  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-producer-ids");
  /** The one entity id. */
  public static final String ENTITY_ID = "producer-ids";

  /** Commands of the allocator. */
  public sealed interface Command extends CborSerializable {}

  /** Allocate an id; {@code transactionalId} may be null. Replies with the id and its epoch. */
  public record Allocate(String transactionalId, ActorRef<ProducerIdentity> replyTo)
      implements Command {}

  /** A producer id and epoch. */
  public record ProducerIdentity(long producerId, short epoch) implements CborSerializable {}

  /** Events of the allocator. */
  public sealed interface Event extends CborSerializable {}

  /** An id was handed out (with its epoch, for a transactional id). */
  public record Allocated(String transactionalId, long producerId, short epoch)
      implements Event {}

  /** The next free id and, per transactional id, its identity. */
  public record State(long nextId, Map<String, ProducerIdentity> transactional)
      implements CborSerializable {
    /** Copies the map. */
    public State {
      transactional = Map.copyOf(transactional);
    }
  }

  /** Starts sharding of the allocator. */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> create()));
  }

  /** A reference to the allocator. */
  public static EntityRef<Command> ref(ActorSystem<?> system) {
    return ClusterSharding.get(system).entityRefFor(KEY, ENTITY_ID);
  }

  /** The allocator's behavior. */
  public static Behavior<Command> create() {
    return new ProducerIdAllocator();
  }

  private ProducerIdAllocator() {
    super(PersistenceId.of(KEY.name(), ENTITY_ID));
  }

  @Override
  public State emptyState() {
    return new State(0, Map.of());
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Allocate.class, (state, cmd) -> {
          ProducerIdentity previous = cmd.transactionalId() == null ? null
              : state.transactional().get(cmd.transactionalId());
          Allocated allocated = previous == null
              ? new Allocated(cmd.transactionalId(), state.nextId(), (short) 0)
              : new Allocated(cmd.transactionalId(), previous.producerId(),
                  (short) (previous.epoch() + 1));
          return Effect().persist(allocated).thenReply(cmd.replyTo(),
              s -> new ProducerIdentity(allocated.producerId(), allocated.epoch()));
        })
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Allocated.class, (state, e) -> {
          Map<String, ProducerIdentity> transactional = new HashMap<>(state.transactional());
          if (e.transactionalId() != null) {
            transactional.put(e.transactionalId(), new ProducerIdentity(e.producerId(), e.epoch()));
          }
          return new State(Math.max(state.nextId(), e.producerId() + 1), transactional);
        })
        .build();
  }
}
