package io.weir.log.internal;

import io.weir.api.WeirException;
import io.weir.log.api.TransactionalProducer;
import java.util.Set;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.RecordMetadata;
import io.weir.log.api.RecordTooLargeException;
import io.weir.log.api.TopicDescription;
import io.weir.log.api.UnknownPartitionException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The producer: per-partition queues that gather records into batches by size and linger, keep
 * at most {@code maxInFlight} batches per partition unacknowledged, and bound buffered bytes with
 * a semaphore so a slow partition blocks the sender rather than growing memory.
 */
final class ProducerImpl implements TransactionalProducer {
  private final ActorSystem<?> system;
  private final ProducerSettings settings;
  private final TopicCache topics;
  private final Semaphore buffer;
  private final Map<String, PartitionQueue[]> queues = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> unkeyedBytes = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile ProducerIdAllocator.ProducerIdentity identity;
  /** The transactional id, or null for a producer without transactions. */
  private final String transactionalId;
  /** Whether batches are sent as part of a transaction. */
  private final boolean transactional;
  private final Set<String> transactionPartitions = ConcurrentHashMap.newKeySet();
  private volatile boolean inTransaction;
  private volatile Throwable transactionFailure;

  /**
   * Creates a producer; with a transactional id, blocks until the transaction coordinator has
   * given it its epoch.
   */
  ProducerImpl(ActorSystem<?> system, ProducerSettings settings, TopicCache topics,
      String transactionalId, java.time.Duration transactionTimeout) {
    this.system = system;
    this.settings = settings;
    this.topics = topics;
    this.buffer = new Semaphore((int) Math.min(Integer.MAX_VALUE, settings.bufferBytes()));
    this.transactionalId = transactionalId;
    this.transactional = transactionalId != null;
    if (transactional) {
      identity = Blocking.await(coordinator().askWithStatus(
          (ActorRef<StatusReply<ProducerIdAllocator.ProducerIdentity>> r) ->
              new TransactionCoordinator.InitProducer(transactionTimeout.toMillis(), r),
          settings.deliveryTimeout()), settings.deliveryTimeout(),
          "starting transactional producer '" + transactionalId + "'");
    }
  }

  private EntityRef<TransactionCoordinator.Command> coordinator() {
    return TransactionCoordinator.ref(system, transactionalId);
  }

  @Override
  public void beginTransaction() {
    requireTransactional();
    if (inTransaction) {
      throw new WeirException("a transaction of '" + transactionalId + "' is already open");
    }
    transactionFailure = null;
    inTransaction = true;
  }

  @Override
  public void commitTransaction() {
    endTransaction(true);
  }

  @Override
  public void abortTransaction() {
    endTransaction(false);
  }

  private void endTransaction(boolean commit) {
    requireTransactional();
    if (!inTransaction) {
      throw new WeirException("no transaction of '" + transactionalId + "' is open");
    }
    Blocking.await(flush(), settings.deliveryTimeout(), "sending the transaction's records");
    if (commit && transactionFailure != null) {
      throw new WeirException("the transaction of '" + transactionalId + "' cannot commit: a "
          + "send failed (" + transactionFailure.getMessage() + "); abort it", transactionFailure);
    }
    ProducerIdAllocator.ProducerIdentity id = identity;
    Blocking.await(coordinator().askWithStatus(
        (ActorRef<StatusReply<Done>> r) -> new TransactionCoordinator.EndTransaction(
            id.producerId(), id.epoch(), commit, r), settings.deliveryTimeout()),
        settings.deliveryTimeout(), (commit ? "committing" : "aborting") + " the transaction");
    transactionPartitions.clear();
    inTransaction = false;
  }

  private void requireTransactional() {
    if (!transactional) {
      throw new WeirException("this producer has no transactional id; create it with "
          + "Log.newTransactionalProducer");
    }
  }

  /** Registers a partition with the coordinator before the transaction's first write to it. */
  private void addToTransaction(String topic, int partition) {
    if (!inTransaction) {
      throw new WeirException("transactional producer '" + transactionalId
          + "': call beginTransaction() before send()");
    }
    String key = PartitionEntity.entityId(topic, partition);
    if (transactionPartitions.contains(key)) {
      return;
    }
    ProducerIdAllocator.ProducerIdentity id = identity;
    Blocking.await(coordinator().askWithStatus(
        (ActorRef<StatusReply<Done>> r) -> new TransactionCoordinator.AddPartitions(
            id.producerId(), id.epoch(), List.of(key), r), settings.requestTimeout()),
        settings.requestTimeout(), "adding " + key + " to the transaction");
    transactionPartitions.add(key);
  }

  @Override
  public CompletionStage<RecordMetadata> send(ProducerRecord record) {
    if (closed) {
      return CompletableFuture.failedFuture(new WeirException("the producer is closed"));
    }
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    try {
      TopicDescription topic = topics.await(record.topic());
      if (settings.idempotence() && identity == null) {
        allocateIdentity();
      }
      int partition = choosePartition(record, topic);
      if (transactional) {
        addToTransaction(topic.name(), partition);
      }
      int size = record.sizeInBytes();
      if (size > topic.config().maxMessageBytes()) {
        throw new RecordTooLargeException("record of " + size + " bytes exceeds max.message.bytes="
            + topic.config().maxMessageBytes() + " of topic '" + topic.name() + "'");
      }
      int permits = Math.min(size, (int) Math.min(Integer.MAX_VALUE, settings.bufferBytes()));
      buffer.acquire(permits);
      queue(topic, partition).add(new Pending(new PartitionEntity.AppendRecord(record.timestamp(), record.key(),
              record.value(), record.headers()), result, permits));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.completeExceptionally(new WeirException("interrupted while waiting for buffer space"));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private synchronized void allocateIdentity() {
    if (identity == null) {
      identity = Blocking.await(ProducerIdAllocator.ref(system).ask(
          (ActorRef<ProducerIdAllocator.ProducerIdentity> r) ->
              new ProducerIdAllocator.Allocate(null, r), settings.requestTimeout()),
          settings.requestTimeout(), "allocating a producer id");
    }
  }

  private PartitionQueue queue(TopicDescription topic, int partition) {
    PartitionQueue[] perPartition = queues.computeIfAbsent(topic.name(), t -> {
      PartitionQueue[] created = new PartitionQueue[topic.partitions()];
      for (int p = 0; p < created.length; p++) {
        created[p] = new PartitionQueue(t, p);
      }
      return created;
    });
    return perPartition[partition];
  }

  private int choosePartition(ProducerRecord record, TopicDescription topic) {
    int n = topic.partitions();
    if (record.partition() != null) {
      if (record.partition() >= n) {
        throw new UnknownPartitionException("topic '" + topic.name() + "' has " + n
            + " partitions; partition " + record.partition() + " does not exist");
      }
      return record.partition();
    }
    if (record.key() != null) {
      return Murmur2Partitioner.partition(record.key(), n);
    }
    // Sticky for records without a key: fill a batch on one partition, then move on.
    long bytes = unkeyedBytes.computeIfAbsent(topic.name(), t -> new AtomicLong())
        .getAndAdd(record.sizeInBytes());
    return (int) ((bytes / settings.batchBytes()) % n);
  }

  @Override
  public CompletionStage<Done> flush() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (PartitionQueue[] perPartition : queues.values()) {
      for (PartitionQueue q : perPartition) {
        all.addAll(q.sealAndPending());
      }
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((v, e) -> Done.getInstance());
  }

  @Override
  public void close() {
    closed = true;
    try {
      flush().toCompletableFuture().get(settings.requestTimeout().toMillis() * 2,
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new WeirException("producer could not flush on close: " + e.getMessage(), e);
    }
  }

  private static final java.time.Duration RETRY_BACKOFF = java.time.Duration.ofMillis(100);

  private record Pending(PartitionEntity.AppendRecord record,
      CompletableFuture<RecordMetadata> result, int permits) {}

  /** A sealed batch; compared by identity (a set of unacknowledged batches holds it). */
  private static final class Batch {
    final List<Pending> records;
    final List<PartitionEntity.AppendRecord> appendRecords;
    final int baseSequence;
    final long deadlineNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    Batch(List<Pending> records, int baseSequence, long deadlineNanos) {
      this.records = records;
      this.baseSequence = baseSequence;
      this.deadlineNanos = deadlineNanos;
      this.appendRecords = new ArrayList<>(records.size());
      for (Pending p : records) {
        appendRecords.add(p.record());
      }
    }
  }

  /** One partition's open batch, sealed batches waiting, and the in-flight count. */
  private final class PartitionQueue {
    private final String topic;
    private final int partition;
    private List<Pending> open = new ArrayList<>();
    private long openBytes;
    private Cancellable linger;
    private int inFlight;
    private int nextSequence;
    private final ArrayDeque<Batch> ready = new ArrayDeque<>();
    private final LinkedHashSet<Batch> unacknowledged = new LinkedHashSet<>();

    private final EntityRef<PartitionEntity.Command> partitionRef;

    PartitionQueue(String topic, int partition) {
      this.topic = topic;
      this.partition = partition;
      this.partitionRef = PartitionEntity.ref(system, topic, partition);
    }

    synchronized void add(Pending p) {
      open.add(p);
      openBytes += p.permits();
      if (openBytes >= settings.batchBytes()) {
        seal();
      } else if (open.size() == 1) {
        linger = system.scheduler().scheduleOnce(settings.linger(), this::sealOnLinger,
            system.executionContext());
      }
    }

    private synchronized void sealOnLinger() {
      seal();
    }

    synchronized List<CompletableFuture<Void>> sealAndPending() {
      seal();
      return unacknowledged.stream().map(b -> b.done).toList();
    }

    private void seal() {
      if (linger != null) {
        linger.cancel();
        linger = null;
      }
      if (open.isEmpty()) {
        return;
      }
      Batch batch = new Batch(open, nextSequence,
          System.nanoTime() + settings.deliveryTimeout().toNanos());
      nextSequence += open.size();
      open = new ArrayList<>();
      openBytes = 0;
      ready.add(batch);
      unacknowledged.add(batch);
      pump();
    }

    private void pump() {
      while (inFlight < settings.maxInFlight() && !ready.isEmpty()) {
        inFlight++;
        send(ready.poll());
      }
    }

    private void send(Batch batch) {
      ProducerIdAllocator.ProducerIdentity id = identity;
      partitionRef.<PartitionEntity.Appended>askWithStatus(
              (ActorRef<StatusReply<PartitionEntity.Appended>> replyTo) -> id == null
                  ? new PartitionEntity.Append(batch.appendRecords, replyTo)
                  : new PartitionEntity.Append(batch.appendRecords, id.producerId(), id.epoch(),
                      batch.baseSequence, transactional, replyTo),
              settings.requestTimeout())
          .whenComplete((appended, error) -> {
            if (error != null && retriable(batch, error)) {
              system.scheduler().scheduleOnce(RETRY_BACKOFF, () -> send(batch),
                  system.executionContext());
            } else {
              completed(batch, appended, error);
            }
          });
    }

    /**
     * Whether an idempotent producer may send a batch again: the partition deduplicates by
     * sequence number, so a retry after a lost acknowledgement is written once. A sequence gap
     * is retried while an earlier batch of this partition is still being retried.
     */
    private boolean retriable(Batch batch, Throwable error) {
      if (identity == null || System.nanoTime() > batch.deadlineNanos) {
        return false;
      }
      Throwable t = error instanceof java.util.concurrent.CompletionException
          && error.getCause() != null ? error.getCause() : error;
      if (t instanceof io.weir.log.api.OutOfOrderSequenceException) {
        synchronized (this) {
          return unacknowledged.iterator().next() != batch;
        }
      }
      return !(t instanceof WeirException);
    }

    private void completed(Batch batch, PartitionEntity.Appended appended, Throwable error) {
      List<Pending> records = batch.records;
      int permits = 0;
      for (int i = 0; i < records.size(); i++) {
        Pending p = records.get(i);
        permits += p.permits();
        if (error != null) {
          Throwable failure = asWeirError(error);
          transactionFailure = failure;
          p.result().completeExceptionally(failure);
        } else {
          Long ts = p.record().timestamp();
          long timestamp = appended.timestampType() == io.weir.log.api.TimestampType.LOG_APPEND_TIME
              || ts == null ? appended.appendTime() : ts;
          p.result().complete(new RecordMetadata(topic, partition, appended.baseOffset() + i,
              timestamp));
        }
      }
      buffer.release(permits);
      synchronized (this) {
        inFlight--;
        unacknowledged.remove(batch);
        pump();
      }
      batch.done.complete(null);
    }

    private Throwable asWeirError(Throwable error) {
      Throwable t = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (t instanceof WeirException) {
        return t;
      }
      return new WeirException("append to " + topic + "/" + partition + " failed: "
          + t.getMessage(), t);
    }
  }
}
