package io.weir.log.internal;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.StartPosition;
import io.weir.log.api.TimestampType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Reads a partition as a stream: one outstanding fetch at a time (so demand bounds what is read),
 * records from the partition's memory when it has them, older batches straight from the journal
 * through the read journal, and at the log end a fetch that the partition answers on the next
 * append.
 */
final class PartitionReader {
  private final ActorSystem<?> system;
  private final LogSettings settings;
  private volatile CurrentEventsByPersistenceIdQuery readJournal;

  PartitionReader(ActorSystem<?> system, LogSettings settings) {
    this.system = system;
    this.settings = settings;
  }

  CompletionStage<PartitionOffsets> offsets(String topic, int partition) {
    return LogImpl.unwrap(PartitionEntity.ref(system, topic, partition).askWithStatus(
        (ActorRef<StatusReply<PartitionOffsets>> r) -> new PartitionEntity.GetOffsets(r),
        settings.askTimeout()));
  }

  Source<ConsumerRecord, NotUsed> source(String topic, int partition, StartPosition start) {
    long fromTimestamp = start instanceof StartPosition.AtTimestamp t ? t.epochMillis()
        : Long.MIN_VALUE;
    return Source.completionStage(startOffset(topic, partition, start))
        .flatMapConcat(first -> Source.unfoldAsync(first, offset ->
            fetch(topic, partition, offset).thenApply(records -> {
              long next = records.isEmpty() ? offset
                  : records.get(records.size() - 1).offset() + 1;
              return Optional.of(Pair.create(next, records));
            })))
        .mapConcat(records -> records)
        .dropWhile(r -> r.timestamp() < fromTimestamp);
  }

  /** The offset {@code start} names in the partition now. */
  CompletionStage<Long> startOffset(String topic, int partition, StartPosition start) {
    if (start instanceof StartPosition.AtOffset at) {
      return CompletableFuture.completedFuture(at.offset());
    }
    if (start instanceof StartPosition.AtTimestamp at) {
      return LogImpl.unwrap(PartitionEntity.ref(system, topic, partition).askWithStatus(
          (ActorRef<StatusReply<Long>> r) -> new PartitionEntity.FindOffset(at.epochMillis(), r),
          settings.askTimeout()));
    }
    boolean earliest = start instanceof StartPosition.Earliest;
    return offsets(topic, partition)
        .thenApply(o -> earliest ? o.logStartOffset() : o.logEndOffset());
  }

  /** The records at or after {@code offset}: one fetch, waiting at the log end. */
  private CompletionStage<List<ConsumerRecord>> fetch(String topic, int partition, long offset) {
    // A fetch at the log end is held by the partition until the next append, so it may take
    // arbitrarily long: it is asked without a timeout of its own beyond a day.
    CompletionStage<PartitionEntity.FetchResult> reply = LogImpl.unwrap(
        PartitionEntity.ref(system, topic, partition).askWithStatus(
            (ActorRef<StatusReply<PartitionEntity.FetchResult>> r) ->
                new PartitionEntity.Fetch(offset, settings.maxFetchBytes(), r),
            java.time.Duration.ofDays(1)));
    return reply.thenCompose(result -> {
      if (result.journalFromSeqNr() == 0) {
        return CompletableFuture.completedFuture(
            toRecords(topic, partition, result.timestampType(), result.batches(), offset));
      }
      return journal().currentEventsByPersistenceId(
              PartitionEntity.persistenceId(topic, partition).id(),
              result.journalFromSeqNr(), result.journalToSeqNr())
          .map(envelope -> envelope.event())
          .filter(event -> event instanceof PartitionEntity.BatchAppended)
          .map(event -> (PartitionEntity.BatchAppended) event)
          .runWith(Sink.seq(), system)
          .thenApply(batches -> toRecords(topic, partition, result.timestampType(), batches,
              offset));
    });
  }

  private static List<ConsumerRecord> toRecords(String topic, int partition, TimestampType type,
      List<PartitionEntity.BatchAppended> batches, long fromOffset) {
    List<ConsumerRecord> out = new ArrayList<>();
    for (PartitionEntity.BatchAppended batch : batches) {
      for (StoredRecord r : batch.records()) {
        if (r.offset() >= fromOffset) {
          out.add(r.toConsumerRecord(topic, partition, type));
        }
      }
    }
    return out;
  }

  private CurrentEventsByPersistenceIdQuery journal() {
    CurrentEventsByPersistenceIdQuery j = readJournal;
    if (j == null) {
      j = PersistenceQuery.get(system.classicSystem()).getReadJournalFor(
          CurrentEventsByPersistenceIdQuery.class, settings.readJournalPluginId());
      readJournal = j;
    }
    return j;
  }
}
