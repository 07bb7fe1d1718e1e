package io.weir.node.testing;

import io.weir.api.CborSerializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * A tiny event-sourced counter for tests that prove a node's journal is durable: it persists
 * every addition and replays them on start. Uses whichever journal the actor system configures.
 */
public final class Counter extends EventSourcedBehavior<Counter.Command, Counter.Event, Counter.State> {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(20);

  /** A command to the counter. */
  public sealed interface Command extends CborSerializable {}

  /**
   * Adds to the counter; replies with the new total once the event is persisted.
   *
   * @param amount what to add
   * @param replyTo who gets the new total
   */
  public record Add(int amount, ActorRef<StatusReply<Integer>> replyTo) implements Command {}

  /**
   * Asks for the total.
   *
   * @param replyTo who gets the total
   */
  public record Get(ActorRef<Integer> replyTo) implements Command {}

  /** An event of the counter. */
  public sealed interface Event extends CborSerializable {}

  /**
   * An addition was persisted.
   *
   * @param amount what was added
   */
  public record Added(int amount) implements Event {}

  /**
   * The counter's state.
   *
   * @param total the sum of all additions
   */
  public record State(int total) implements CborSerializable {}

  private Counter(String id) {
    super(PersistenceId.of("test-counter", id));
  }

  /**
   * Starts a counter with the given id as a system actor of {@code system}.
   *
   * @param system a running actor system with a journal, never null
   * @param id the counter's id; the same id on a later system recovers the same counter
   * @return the counter's reference
   */
  public static ActorRef<Command> spawn(ActorSystem<?> system, String id) {
    return system.systemActorOf(new Counter(id), "counter-" + id, Props.empty());
  }

  /** Adds {@code amount} and blocks until it is persisted; returns the new total. */
  public static int add(ActorSystem<?> system, ActorRef<Command> counter, int amount)
      throws Exception {
    return AskPattern.<Command, Integer>askWithStatus(counter,
            replyTo -> new Add(amount, replyTo), ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Blocks until the counter (recovered if needed) replies with its total. */
  public static int get(ActorSystem<?> system, ActorRef<Command> counter) throws Exception {
    return AskPattern.<Command, Integer>ask(counter, Get::new, ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public State emptyState() {
    return new State(0);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Add.class, (state, add) -> Effect().persist(new Added(add.amount()))
            .thenReply(add.replyTo(), next -> StatusReply.success(next.total())))
        .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state.total()))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Added.class, (state, added) -> new State(state.total() + added.amount()))
        .build();
  }
}
