package io.weir.log.internal;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.StartPosition;
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
import org.apache.pekko.stream.OverflowStrategy;
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

  Source<ConsumerRecord, NotUsed> source(String topic, int partition, StartPosition start,
      IsolationLevel isolation) {
    return batches(topic, partition, start, isolation).mapConcat(records -> records);
  }

  /** The records of one partition as the batches one fetch returns (never empty lists). */
  Source<List<ConsumerRecord>, NotUsed> batches(String topic, int partition,
      StartPosition start, IsolationLevel isolation) {
    boolean readCommitted = isolation == IsolationLevel.READ_COMMITTED;
    Source<List<ConsumerRecord>, NotUsed> fetched =
        Source.completionStage(startOffset(topic, partition, start))
            .flatMapConcat(first -> Source.unfoldAsync(first, offset ->
                fetch(topic, partition, offset, readCommitted).thenApply(Optional::of)))
            // One fetch ahead: the next fetch travels while the current one is consumed.
            .buffer(1, OverflowStrategy.backpressure())
            .filter(records -> !records.isEmpty());
    if (!(start instanceof StartPosition.AtTimestamp at)) {
      return fetched;
    }
    // The first fetched batch may begin before the time: skip records until the first at or
    // after it (later records are all delivered, whatever their timestamps).
    return fetched.statefulMap(() -> Boolean.FALSE, (reached, records) -> {
      if (reached) {
        return Pair.create(true, records);
      }
      int first = 0;
      while (first < records.size() && records.get(first).timestamp() < at.epochMillis()) {
        first++;
      }
      return Pair.create(first < records.size(), records.subList(first, records.size()));
    }, reached -> Optional.empty()).filter(records -> !records.isEmpty());
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

  /**
   * The records at or after {@code offset} and the offset to fetch next: one fetch, held by the
   * partition at the reader's limit until there is more.
   */
  private CompletionStage<Pair<Long, List<ConsumerRecord>>> fetch(String topic, int partition,
      long offset, boolean readCommitted) {
    // A fetch at the log end is held by the partition until the next append, so it may take
    // arbitrarily long: it is asked without a timeout of its own beyond a day.
    CompletionStage<PartitionEntity.FetchResult> reply = LogImpl.unwrap(
        PartitionEntity.ref(system, topic, partition).askWithStatus(
            (ActorRef<StatusReply<PartitionEntity.FetchResult>> r) ->
                new PartitionEntity.Fetch(offset, settings.maxFetchBytes(), readCommitted, r),
            java.time.Duration.ofDays(1)));
    return reply.thenCompose(result -> {
      if (result.journalFromSeqNr() == 0) {
        return CompletableFuture.completedFuture(
            visible(topic, partition, result, result.batches(), offset, readCommitted));
      }
      return journal().currentEventsByPersistenceId(
              PartitionEntity.persistenceId(topic, partition).id(),
              result.journalFromSeqNr(), result.journalToSeqNr())
          .map(envelope -> envelope.event())
          .filter(event -> event instanceof PartitionEntity.BatchAppended)
          .map(event -> (PartitionEntity.BatchAppended) event)
          .runWith(Sink.seq(), system)
          .thenApply(batches -> visible(topic, partition, result, batches, offset,
              readCommitted));
    });
  }

  /**
   * The records a reader sees in {@code batches}, and where it goes on: markers are never
   * shown, and a read_committed reader skips the batches of aborted transactions and stops at
   * the last stable offset.
   */
  private static Pair<Long, List<ConsumerRecord>> visible(String topic, int partition,
      PartitionEntity.FetchResult result, List<PartitionEntity.BatchAppended> batches,
      long fromOffset, boolean readCommitted) {
    long limit = result.limit(readCommitted);
    long next = fromOffset;
    List<ConsumerRecord> out = new ArrayList<>();
    for (PartitionEntity.BatchAppended batch : batches) {
      long first = batch.records().get(0).offset();
      if (first >= limit) {
        break;
      }
      next = Math.max(next, batch.records().get(batch.records().size() - 1).offset() + 1);
      if (batch.isControl() || (readCommitted && batch.isTransactional()
          && aborted(result.aborted(), batch.producerId(), first))) {
        continue;
      }
      for (StoredRecord r : batch.records()) {
        if (r.offset() >= fromOffset) {
          out.add(r.toConsumerRecord(topic, partition, result.timestampType()));
        }
      }
    }
    return Pair.create(next, out);
  }

  private static boolean aborted(List<AbortedTxn> aborted, long producerId, long offset) {
    for (AbortedTxn a : aborted) {
      if (a.producerId() == producerId && a.firstOffset() <= offset && offset <= a.lastOffset()) {
        return true;
      }
    }
    return false;
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
