package io.weir.benchmarks.journal;

import io.weir.api.CborSerializable;
import java.util.zip.CRC32C;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * The benchmark's stand-in for a log partition: each command persists one event holding a
 * whole batch of records, as Weir's log partitions do. The state counts batches and bytes and
 * keeps an order-sensitive checksum, so both journals can be checked to hold the same data.
 */
final class BatchLog
    extends EventSourcedBehavior<BatchLog.Command, BatchLog.Event, BatchLog.State> {
  /** A message to the entity. */
  sealed interface Command {}

  /** Persists one batch; replies with the number of batches stored so far. */
  record AppendBatch(byte[] records, ActorRef<Long> replyTo) implements Command {}

  /** Replies with the state. */
  record GetState(ActorRef<State> replyTo) implements Command {}

  /** A persisted event. */
  sealed interface Event extends CborSerializable {}

  /** One batch of records was appended; {@code records} is the packed batch. */
  record BatchAppended(byte[] records) implements Event {}

  /**
   * What the entity has stored.
   *
   * @param batches the number of batches
   * @param bytes the number of record bytes
   * @param checksum a hash over the CRC32C of every batch, in order
   */
  record State(long batches, long bytes, long checksum) {
    static final State EMPTY = new State(0, 0, 17);

    /** The state after one more batch. */
    State plus(byte[] records) {
      CRC32C crc = new CRC32C();
      crc.update(records);
      return new State(batches + 1, bytes + records.length, checksum * 31 + crc.getValue());
    }
  }

  private final String journalPluginId;

  private BatchLog(String persistenceId, String journalPluginId) {
    super(PersistenceId.ofUniqueId(persistenceId));
    this.journalPluginId = journalPluginId;
  }

  /** The behavior of the entity {@code persistenceId} on the journal {@code journalPluginId}. */
  static Behavior<Command> create(String persistenceId, String journalPluginId) {
    return new BatchLog(persistenceId, journalPluginId);
  }

  @Override
  public String journalPluginId() {
    return journalPluginId;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(AppendBatch.class, (state, cmd) -> Effect()
            .persist(new BatchAppended(cmd.records()))
            .thenReply(cmd.replyTo(), State::batches))
        .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(BatchAppended.class, (state, event) -> state.plus(event.records()))
        .build();
  }
}
