package io.weir.log.internal;

import io.weir.api.CborSerializable;
import io.weir.api.WeirException;
import io.weir.log.api.Header;
import io.weir.log.api.InvalidRecordException;
import io.weir.log.api.OffsetOutOfRangeException;
import io.weir.log.api.OutOfOrderSequenceException;
import io.weir.log.api.ProducerFencedException;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.RecordTooLargeException;
import io.weir.log.api.TimestampType;
import io.weir.log.api.TopicDescription;
import io.weir.log.api.UnknownPartitionException;
import io.weir.log.api.UnknownTopicException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One partition of a topic: a sharded persistent entity (entity id {@code topic/partition})
 * whose journal holds one event per appended batch. It assigns dense offsets, answers fetches
 * from its in-memory tail or points the consumer at the journal for older batches, holds a fetch
 * at the log end until the next append (consumers never poll on a timer), and applies retention
 * on a timer. Batches are acknowledged once the journal has written them by its durability
 * policy.
 */
public final class PartitionEntity
    extends EventSourcedBehavior<PartitionEntity.Command, PartitionEntity.Event, PartitionLog> {

  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-log-partition");

  /** Commands a partition handles. */
  public sealed interface Command extends CborSerializable {}

  /** A record to append: the partition assigns its offset (and, per topic, its timestamp). */
  public record AppendRecord(Long timestamp, byte[] key, byte[] value, List<Header> headers)
      implements CborSerializable {}

  /**
   * Append records as one batch; replies with the first offset and the append time. An
   * idempotent producer gives its id ({@code producerId >= 0}), epoch and the sequence number of
   * the first record; a retried batch is then answered with its original offsets, not written
   * twice. Without a producer id, {@code producerId} is -1.
   */
  public record Append(List<AppendRecord> records, long producerId, short producerEpoch,
      int baseSequence, boolean transactional, ActorRef<StatusReply<Appended>> replyTo)
      implements Command {
    /** An append without idempotence. */
    public Append(List<AppendRecord> records, ActorRef<StatusReply<Appended>> replyTo) {
      this(records, -1, (short) 0, 0, false, replyTo);
    }
  }

  /**
   * End a producer's transaction in this partition: append a commit or abort marker (one
   * offset), which moves the last stable offset. Sent by the transaction coordinator; a marker
   * for a producer with no open transaction here is acknowledged without writing. Replies with
   * the marker's offset, or -1 when nothing was written.
   */
  public record WriteTxnMarker(long producerId, short producerEpoch, boolean commit,
      ActorRef<StatusReply<Long>> replyTo) implements Command {}

  /** The reply to {@link Append}: offsets {@code baseOffset ..} in record order. */
  public record Appended(long baseOffset, long appendTime, TimestampType timestampType)
      implements CborSerializable {}

  /**
   * Read from {@code offset}: replies at once when records are there, else at the next append.
   * About {@code maxBytes} of batches are returned; at least one.
   */
  public record Fetch(long offset, int maxBytes, boolean readCommitted,
      ActorRef<StatusReply<FetchResult>> replyTo) implements Command {}

  /**
   * The reply to {@link Fetch}: either {@code batches} from memory, or a journal range
   * {@code [journalFromSeqNr, journalToSeqNr]} to read (when {@code journalFromSeqNr > 0}).
   */
  public record FetchResult(long logStartOffset, long logEndOffset, long lastStableOffset,
      TimestampType timestampType, List<BatchAppended> batches, long journalFromSeqNr,
      long journalToSeqNr, List<AbortedTxn> aborted) implements CborSerializable {
    /** The offset a reader of this isolation may read up to (exclusive). */
    long limit(boolean readCommitted) {
      return readCommitted ? lastStableOffset : logEndOffset;
    }
  }

  /** Report the retained range and size. */
  public record GetOffsets(ActorRef<StatusReply<PartitionOffsets>> replyTo) implements Command {}

  /** Find the first offset of the first batch holding a record at or after {@code timestamp}. */
  public record FindOffset(long timestamp, ActorRef<StatusReply<Long>> replyTo)
      implements Command {}

  /** Remove all records (the topic was deleted); replies when durable. */
  public record Purge(ActorRef<StatusReply<Long>> replyTo) implements Command {}

  /** Apply retention now (sent by the partition's own timer, and by tests). */
  public record Clean() implements Command {}

  private record TopicLoaded(TopicDescription topic, String failure) implements Command {}

  private record Passivate() implements Command {}

  private record CompactionRead(long firstSeqNr, long lastSeqNr, int count,
      Compaction.Result result, String failure) implements Command {}

  private record Purged(long removedUpTo, String failure, ActorRef<StatusReply<Long>> replyTo)
      implements Command {}

  /** Events of a partition's journal. */
  public sealed interface Event extends CborSerializable {}

  /**
   * A batch of records with consecutive offsets (or, after compaction, ascending ones), written
   * by an idempotent producer ({@code producerId >= 0}) or not ({@code -1}).
   */
  public record BatchAppended(long seqNr, long appendTime, List<StoredRecord> records,
      long producerId, short producerEpoch, int baseSequence, int attributes) implements Event {
    /** Attribute bit: the batch belongs to a transaction of its producer. */
    public static final int TRANSACTIONAL = 1;
    /** Attribute bit: the batch is a transaction marker (one record; key 1 commit, 0 abort). */
    public static final int CONTROL = 2;

    /** Copies the records. */
    public BatchAppended {
      records = List.copyOf(records);
    }

    /** A batch of no idempotent producer. */
    public BatchAppended(long seqNr, long appendTime, List<StoredRecord> records) {
      this(seqNr, appendTime, records, -1, (short) 0, 0, 0);
    }

    /** Whether the batch belongs to a transaction. */
    public boolean isTransactional() {
      return (attributes & TRANSACTIONAL) != 0;
    }

    /** Whether the batch is a transaction marker, which consumers never see. */
    public boolean isControl() {
      return (attributes & CONTROL) != 0;
    }

    /** For a marker: whether it commits (else it aborts). */
    public boolean commits() {
      return records.get(0).key()[0] == 1;
    }

    /** The same batch under another journal sequence number. */
    BatchAppended withSeqNr(long newSeqNr) {
      return new BatchAppended(newSeqNr, appendTime, records, producerId, producerEpoch,
          baseSequence, attributes);
    }
  }

  /**
   * The whole log was rewritten (by compaction): the batches persisted with this event, in the
   * same atomic write, replace every batch before.
   */
  public record LogRewritten(long seqNr, long logStartOffset, long nextOffset) implements Event {}

  /** Every record below {@code logStartOffset} was removed; offsets continue at {@code nextOffset}. */
  public record LogTruncated(long seqNr, long logStartOffset, long nextOffset) implements Event {}

  private final String topic;
  private final int partition;
  private final LogSettings settings;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final Clock clock;
  private final List<Fetch> waiting = new ArrayList<>();
  private TopicDescription description;
  private boolean compacting;
  private long lastCleanedSeqNr;
  private String missing;

  /** Starts sharding of partitions on {@code system}. */
  public static void init(ActorSystem<?> system, LogSettings settings, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> create(ctx.getEntityId(), settings,
        clock)));
  }

  /** A reference to one partition entity. */
  public static EntityRef<Command> ref(ActorSystem<?> system, String topic, int partition) {
    return ClusterSharding.get(system).entityRefFor(KEY, entityId(topic, partition));
  }

  /** The entity id of a partition: {@code topic/partition}. */
  public static String entityId(String topic, int partition) {
    return topic + "/" + partition;
  }

  /** The persistence id of a partition's journal. */
  public static PersistenceId persistenceId(String topic, int partition) {
    return PersistenceId.of(KEY.name(), entityId(topic, partition));
  }

  /** The behavior of the partition with entity id {@code topic/partition}. */
  public static Behavior<Command> create(String entityId, LogSettings settings, Clock clock) {
    int slash = entityId.lastIndexOf('/');
    String topic = entityId.substring(0, slash);
    int partition = Integer.parseInt(entityId.substring(slash + 1));
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new PartitionEntity(topic, partition, settings, ctx, timers, clock)));
  }

  private PartitionEntity(String topic, int partition, LogSettings settings,
      ActorContext<Command> context, TimerScheduler<Command> timers, Clock clock) {
    super(persistenceId(topic, partition));
    this.topic = topic;
    this.partition = partition;
    this.settings = settings;
    this.context = context;
    this.timers = timers;
    this.clock = clock;
  }

  @Override
  public String journalPluginId() {
    return settings.journalPluginId();
  }

  @Override
  public PartitionLog emptyState() {
    return new PartitionLog(settings.tailCacheBytes());
  }

  @Override
  public SignalHandler<PartitionLog> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> loadTopic())
        .build();
  }

  private void loadTopic() {
    context.pipeToSelf(
        TopicRegistry.ref(context.getSystem()).ask(
            (ActorRef<TopicRegistry.TopicLookup> r) -> new TopicRegistry.GetTopic(topic, r),
            settings.askTimeout()),
        (lookup, error) -> error != null
            ? new TopicLoaded(null, "topic registry did not answer: " + error.getMessage())
            : new TopicLoaded(lookup.topic(), lookup.topic() == null
                ? "unknown topic '" + topic + "'" : null));
  }

  @Override
  public CommandHandler<Command, Event, PartitionLog> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(TopicLoaded.class, this::onTopicLoaded)
        .onCommand(Passivate.class, (log, cmd) -> Effect().stop())
        .onCommand(cmd -> description == null && missing == null, (log, cmd) -> Effect().stash())
        .onCommand(cmd -> missing != null, this::refuse)
        .onCommand(Append.class, this::onAppend)
        .onCommand(Fetch.class, this::onFetch)
        .onCommand(WriteTxnMarker.class, this::onTxnMarker)
        .onCommand(GetOffsets.class, (log, cmd) -> Effect().reply(cmd.replyTo(),
            StatusReply.success(offsets(log))))
        .onCommand(FindOffset.class, this::onFindOffset)
        .onCommand(Clean.class, this::onClean)
        .onCommand(CompactionRead.class, this::onCompactionRead)
        .onCommand(Purge.class, (log, cmd) -> {
          long next = log.nextOffset;
          return Effect().persist(new LogTruncated(lastSeqNr() + 1, next, next))
              .thenRun(after -> context.pipeToSelf(
                  JournalDeletion.deleteUpToConfirmed(context.getSystem(),
                      settings.journalPluginId(), persistenceId().id(), lastSeqNr(),
                      settings.askTimeout()),
                  (done, error) -> new Purged(next, error == null ? null : error.getMessage(),
                      cmd.replyTo())));
        })
        .onCommand(Purged.class, (log, cmd) -> {
          // Stop, so the next use recovers from the emptied journal and starts at offset 0.
          cmd.replyTo().tell(cmd.failure() == null ? StatusReply.success(cmd.removedUpTo())
              : StatusReply.error(new WeirException(cmd.failure())));
          return Effect().stop();
        })
        .build();
  }

  private Effect<Event, PartitionLog> onTopicLoaded(PartitionLog log, TopicLoaded loaded) {
    if (loaded.topic() != null && partition >= loaded.topic().partitions()) {
      missing = "topic '" + topic + "' has " + loaded.topic().partitions()
          + " partitions; partition " + partition + " does not exist";
    } else if (loaded.topic() == null) {
      missing = loaded.failure();
    } else {
      description = loaded.topic();
      timers.startTimerWithFixedDelay(new Clean(), settings.cleanerInterval());
    }
    if (missing != null) {
      // Look the topic up again on the next use: it may be created meanwhile.
      timers.startSingleTimer(new Passivate(), java.time.Duration.ofSeconds(1));
    }
    return Effect().none().thenUnstashAll();
  }

  private Effect<Event, PartitionLog> refuse(PartitionLog log, Command cmd) {
    WeirException error = missing.startsWith("unknown topic")
        ? new UnknownTopicException(missing) : new UnknownPartitionException(missing);
    if (cmd instanceof Append a) {
      a.replyTo().tell(StatusReply.error(error));
    } else if (cmd instanceof Fetch f) {
      f.replyTo().tell(StatusReply.error(error));
    } else if (cmd instanceof GetOffsets g) {
      g.replyTo().tell(StatusReply.error(error));
    } else if (cmd instanceof FindOffset f) {
      f.replyTo().tell(StatusReply.error(error));
    } else if (cmd instanceof Purge p) {
      p.replyTo().tell(StatusReply.error(error));
    } else if (cmd instanceof WriteTxnMarker m) {
      m.replyTo().tell(StatusReply.error(error));
    }
    return Effect().none();
  }

  private Effect<Event, PartitionLog> onAppend(PartitionLog log, Append cmd) {
    List<AppendRecord> records = cmd.records();
    if (cmd.producerId() >= 0) {
      ProducerState producer = log.producers.get(cmd.producerId());
      WeirException refused = checkSequence(producer, cmd);
      if (refused != null) {
        return Effect().reply(cmd.replyTo(), StatusReply.error(refused));
      }
      ProducerState.Written duplicate = producer == null ? null
          : producer.find(cmd.baseSequence(), cmd.baseSequence() + records.size() - 1);
      if (duplicate != null && producer.epoch == cmd.producerEpoch()) {
        return Effect().reply(cmd.replyTo(), StatusReply.success(new Appended(
            duplicate.firstOffset(), duplicate.appendTime(),
            description.config().timestampType())));
      }
    }
    if (records.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(
          new Appended(log.nextOffset, clock.millis(), description.config().timestampType())));
    }
    long now = clock.millis();
    boolean appendTime = description.config().timestampType() == TimestampType.LOG_APPEND_TIME;
    long offset = log.nextOffset;
    List<StoredRecord> stored = new ArrayList<>(records.size());
    for (AppendRecord r : records) {
      StoredRecord s = new StoredRecord(offset++,
          appendTime || r.timestamp() == null ? now : r.timestamp(), r.key(), r.value(),
          r.headers());
      WeirException invalid = validate(s);
      if (invalid != null) {
        return Effect().reply(cmd.replyTo(), StatusReply.error(invalid));
      }
      stored.add(s);
    }
    long base = log.nextOffset;
    return Effect().persist(new BatchAppended(lastSeqNr() + 1, now, stored, cmd.producerId(),
            cmd.producerEpoch(), cmd.baseSequence(),
            cmd.transactional() ? BatchAppended.TRANSACTIONAL : 0))
        .thenRun(after -> {
          cmd.replyTo().tell(StatusReply.success(
              new Appended(base, now, description.config().timestampType())));
          wakeWaiting(after);
        });
  }

  /** Refuses a stale epoch or a sequence that does not follow; null when the batch may go on. */
  private WeirException checkSequence(ProducerState producer, Append cmd) {
    String where = " on " + topic + "/" + partition;
    if (producer != null && cmd.producerEpoch() < producer.epoch) {
      return new ProducerFencedException("producer " + cmd.producerId() + " epoch "
          + cmd.producerEpoch() + " is fenced" + where + ": epoch " + producer.epoch
          + " has taken over");
    }
    boolean sameEpoch = producer != null && cmd.producerEpoch() == producer.epoch;
    if (sameEpoch && producer.find(cmd.baseSequence(),
        cmd.baseSequence() + cmd.records().size() - 1) != null) {
      return null; // a retried batch: answered from memory
    }
    int expected = sameEpoch ? producer.lastSequence + 1 : 0;
    if (cmd.baseSequence() != expected) {
      return new OutOfOrderSequenceException("producer " + cmd.producerId() + " sent sequence "
          + cmd.baseSequence() + where + " but the next expected is " + expected
          + " (a batch was lost or reordered)");
    }
    return null;
  }

  private WeirException validate(StoredRecord r) {
    if (r.sizeInBytes() > description.config().maxMessageBytes()) {
      return new RecordTooLargeException("record of " + r.sizeInBytes()
          + " bytes exceeds max.message.bytes=" + description.config().maxMessageBytes()
          + " of topic '" + topic + "'");
    }
    if (description.config().compact() && r.key() == null) {
      return new InvalidRecordException("topic '" + topic
          + "' is compacted: every record needs a key");
    }
    return null;
  }

  private Effect<Event, PartitionLog> onFetch(PartitionLog log, Fetch cmd) {
    if (cmd.offset() < log.logStartOffset || cmd.offset() > log.nextOffset) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(new OffsetOutOfRangeException(
          "offset " + cmd.offset() + " is out of range for " + topic + "/" + partition
              + ": retained offsets are " + log.logStartOffset + " to " + log.nextOffset)));
    }
    if (!serve(log, cmd)) {
      waiting.add(cmd);
    }
    return Effect().none();
  }

  /**
   * Answers a fetch if records below its reader's limit (the log end, or for read_committed
   * the last stable offset) are there; returns false to hold it until the next write.
   */
  private boolean serve(PartitionLog log, Fetch f) {
    long limit = f.readCommitted() ? log.lastStableOffset() : log.nextOffset;
    int index = log.indexOf(f.offset());
    if (f.offset() >= limit || index >= log.batches.size()
        || log.batches.get(index).firstOffset >= limit) {
      return false;
    }
    TimestampType type = description.config().timestampType();
    int last = log.lastIndexFor(index, Math.min(f.maxBytes(), settings.maxFetchBytes()), limit);
    List<BatchAppended> cached = log.cachedRange(index, last);
    List<AbortedTxn> aborted = log.abortedBetween(
        log.batches.get(index).firstOffset, log.batches.get(last).lastOffset);
    f.replyTo().tell(StatusReply.success(cached != null
        ? new FetchResult(log.logStartOffset, log.nextOffset, log.lastStableOffset(), type,
            cached, 0, 0, aborted)
        : new FetchResult(log.logStartOffset, log.nextOffset, log.lastStableOffset(), type,
            List.of(), log.batches.get(index).seqNr, log.batches.get(last).seqNr, aborted)));
    return true;
  }

  private void wakeWaiting(PartitionLog log) {
    if (waiting.isEmpty()) {
      return;
    }
    List<Fetch> held = new ArrayList<>(waiting);
    waiting.clear();
    for (Fetch f : held) {
      if (!serve(log, f)) {
        waiting.add(f);
      }
    }
  }

  private Effect<Event, PartitionLog> onTxnMarker(PartitionLog log, WriteTxnMarker cmd) {
    ProducerState producer = log.producers.get(cmd.producerId());
    if (producer != null && cmd.producerEpoch() < producer.epoch) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(new ProducerFencedException(
          "transaction marker of producer " + cmd.producerId() + " epoch " + cmd.producerEpoch()
              + " is fenced on " + topic + "/" + partition + " by epoch " + producer.epoch)));
    }
    if (!log.ongoing.containsKey(cmd.producerId())) {
      // No open transaction here (a repeated marker, or nothing was written): nothing to end,
      // but a newer epoch is still recorded, so the old one is fenced from now on.
      if (producer == null || cmd.producerEpoch() == producer.epoch) {
        return Effect().reply(cmd.replyTo(), StatusReply.success(-1L));
      }
    }
    long now = clock.millis();
    long offset = log.nextOffset;
    StoredRecord marker = new StoredRecord(offset, now,
        new byte[] {(byte) (cmd.commit() ? 1 : 0)}, null, List.of());
    return Effect().persist(new BatchAppended(lastSeqNr() + 1, now, List.of(marker),
            cmd.producerId(), cmd.producerEpoch(), -1,
            BatchAppended.TRANSACTIONAL | BatchAppended.CONTROL))
        .thenRun(after -> {
          cmd.replyTo().tell(StatusReply.success(offset));
          wakeWaiting(after);
        });
  }

  private Effect<Event, PartitionLog> onFindOffset(PartitionLog log, FindOffset cmd) {
    for (PartitionLog.BatchMeta m : log.batches) {
      if (m.maxTimestamp >= cmd.timestamp()) {
        return Effect().reply(cmd.replyTo(), StatusReply.success(m.firstOffset));
      }
    }
    return Effect().reply(cmd.replyTo(), StatusReply.success(log.nextOffset));
  }

  private Effect<Event, PartitionLog> onClean(PartitionLog log, Clean cmd) {
    var config = description.config();
    if (log.batches.isEmpty()) {
      return Effect().none();
    }
    if (config.delete()) {
      Effect<Event, PartitionLog> retention = applyRetention(log);
      if (retention != null) {
        return retention;
      }
    }
    if (config.compact()) {
      startCompaction(log);
    }
    return Effect().none();
  }

  /** Removes expired or excess batches from the start, or returns null if none are. */
  private Effect<Event, PartitionLog> applyRetention(PartitionLog log) {
    var config = description.config();
    long now = clock.millis();
    long bytes = log.sizeBytes;
    int drop = 0;
    while (drop < log.batches.size()) {
      PartitionLog.BatchMeta m = log.batches.get(drop);
      boolean expired = config.retentionMs() > 0 && m.maxTimestamp < now - config.retentionMs();
      boolean oversize = config.retentionBytes() > 0 && bytes - m.bytes >= config.retentionBytes();
      if (!expired && !oversize) {
        break;
      }
      bytes -= m.bytes;
      drop++;
    }
    if (drop == 0) {
      return null;
    }
    long newStart = drop < log.batches.size() ? log.batches.get(drop).firstOffset : log.nextOffset;
    long keepFromSeqNr = drop < log.batches.size() ? log.batches.get(drop).seqNr : lastSeqNr() + 1;
    context.getLog().info("retention removes offsets {} to {} of {}/{}", log.logStartOffset,
        newStart - 1, topic, partition);
    return Effect().persist(new LogTruncated(lastSeqNr() + 1, newStart, log.nextOffset))
        .thenRun(after -> deleteJournalUpTo(keepFromSeqNr - 1));
  }

  /**
   * Starts compacting everything but the newest segment.bytes: reads the whole retained log
   * from the journal off the actor, computes the survivors, and comes back with
   * {@link CompactionRead}. Runs only when batches arrived below the active segment since the
   * last compaction.
   */
  private void startCompaction(PartitionLog log) {
    long segmentBytes = description.config().segmentBytes();
    int count = log.batches.size();
    int cleanable = count;
    long activeBytes = 0;
    while (cleanable > 0 && activeBytes < segmentBytes) {
      activeBytes += log.batches.get(--cleanable).bytes;
    }
    if (compacting || cleanable == 0
        || log.batches.get(cleanable - 1).seqNr <= lastCleanedSeqNr) {
      return;
    }
    compacting = true;
    long firstSeqNr = log.batches.get(0).seqNr;
    long lastSeqNr = log.batches.get(count - 1).seqNr;
    long cleanableUpTo = log.batches.get(cleanable - 1).lastOffset;
    long tombstonesBefore = clock.millis() - description.config().deleteRetentionMs();
    List<AbortedTxn> aborted = List.copyOf(log.aborted);
    var stage = PersistenceQuery.get(context.getSystem().classicSystem())
        .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class,
            settings.readJournalPluginId())
        .currentEventsByPersistenceId(persistenceId().id(), firstSeqNr, lastSeqNr)
        .map(EventEnvelope::event)
        .filter(BatchAppended.class::isInstance)
        .map(BatchAppended.class::cast)
        .runWith(Sink.seq(), context.getSystem())
        .thenApply(batches -> Compaction.compact(batches, cleanableUpTo, tombstonesBefore,
            (producerId, offset) -> aborted.stream().anyMatch(a -> a.producerId() == producerId
                && a.firstOffset() <= offset && offset <= a.lastOffset())));
    context.pipeToSelf(stage, (result, error) -> new CompactionRead(firstSeqNr, lastSeqNr, count,
        result, error == null ? null : error.toString()));
  }

  private Effect<Event, PartitionLog> onCompactionRead(PartitionLog log, CompactionRead read) {
    compacting = false;
    if (read.failure() != null) {
      context.getLog().warn("compaction of {}/{} failed, will retry: {}", topic, partition,
          read.failure());
      return Effect().none();
    }
    int count = read.count();
    boolean unchanged = log.batches.size() >= count
        && log.batches.get(0).seqNr == read.firstSeqNr()
        && log.batches.get(count - 1).seqNr == read.lastSeqNr();
    List<BatchAppended> newer = !unchanged ? null
        : count == log.batches.size() ? List.of() : log.cachedRange(count, log.batches.size() - 1);
    if (!unchanged || (count < log.batches.size() && newer == null)) {
      return Effect().none(); // Retention or a burst of appends overtook it: next round.
    }
    long seqNr = lastSeqNr() + 1;
    long markerSeqNr = seqNr;
    List<Event> events = new ArrayList<>();
    events.add(new LogRewritten(seqNr++, log.logStartOffset, log.nextOffset));
    long now = clock.millis();
    for (List<StoredRecord> chunk : Compaction.chunk(read.result().cleaned(), 256 * 1024)) {
      events.add(new BatchAppended(seqNr++, now, chunk));
    }
    long cleanedSeqNr = seqNr - 1;
    for (BatchAppended b : read.result().untouched()) {
      events.add(b.withSeqNr(seqNr++));
    }
    if (count < log.batches.size()) {
      for (BatchAppended b : newer) {
        events.add(b.withSeqNr(seqNr++));
      }
    }
    context.getLog().info("compaction of {}/{} removed {} records", topic, partition,
        read.result().removed());
    return Effect().persist(events).thenRun(after -> {
      lastCleanedSeqNr = cleanedSeqNr;
      deleteJournalUpTo(markerSeqNr - 1);
    });
  }

  private void deleteJournalUpTo(long seqNr) {
    JournalDeletion.deleteUpTo(context.getSystem(), settings.journalPluginId(),
        persistenceId().id(), seqNr);
  }

  private long lastSeqNr() {
    return lastSequenceNumber(context);
  }

  private PartitionOffsets offsets(PartitionLog log) {
    return new PartitionOffsets(topic, partition, log.logStartOffset, log.nextOffset,
        log.sizeBytes);
  }

  @Override
  public EventHandler<PartitionLog, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(BatchAppended.class, (log, e) -> {
          log.append(e);
          return log;
        })
        .onEvent(LogRewritten.class, (log, e) -> {
          log.clear(e.logStartOffset(), e.nextOffset());
          return log;
        })
        .onEvent(LogTruncated.class, (log, e) -> {
          log.truncateBefore(e.logStartOffset(), e.nextOffset());
          return log;
        })
        .build();
  }
}
