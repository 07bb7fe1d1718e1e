package io.weir.journal;

import io.weir.api.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * A test entity on the segment journal: it appends string values, one event each, and keeps a
 * count, the last value and an order-sensitive hash, so a test can tell that every event came
 * back, in order.
 */
final class Ledger extends EventSourcedBehavior<Ledger.Command, Ledger.Event, Ledger.State> {
  sealed interface Command {}

  /** Persists one event per value, all in one atomic write; replies with the new count. */
  record Append(List<String> values, ActorRef<StatusReply<Long>> replyTo) implements Command {
    Append {
      values = List.copyOf(values);
    }
  }

  /** Replies with the state. */
  record Get(ActorRef<State> replyTo) implements Command {}

  sealed interface Event extends CborSerializable {}

  /** One value was appended. */
  record Appended(String value) implements Event {}

  /** What the entity knows: how many values, the last one, and a hash of all in order. */
  record State(long count, String last, long hash) {
    static final State EMPTY = new State(0, "", 17);

    State plus(String value) {
      return new State(count + 1, value, hash * 31 + value.hashCode());
    }
  }

  private Ledger(PersistenceId persistenceId) {
    super(persistenceId);
  }

  static Behavior<Command> create(String persistenceId) {
    return new Ledger(PersistenceId.ofUniqueId(persistenceId));
  }

  /** The state after appending {@code values} to the empty state, for comparison. */
  static State expected(List<String> values) {
    State state = State.EMPTY;
    for (String v : values) {
      state = state.plus(v);
    }
    return state;
  }

  @Override
  public String journalPluginId() {
    return "weir.journal.segments";
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Append.class, (state, cmd) -> Effect()
            .persist(cmd.values().stream().<Event>map(Appended::new).toList())
            .thenReply(cmd.replyTo(), s -> StatusReply.success(s.count())))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Appended.class, (state, event) -> state.plus(event.value()))
        .build();
  }
}
