package io.weir.log.internal;

import io.weir.api.WeirException;
import io.weir.log.api.CommittableOffset;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.RecordMetadata;
import io.weir.log.api.RecordTooLargeException;
import io.weir.log.api.TopicDescription;
import io.weir.log.api.TransactionalProducer;
import io.weir.log.api.UnknownPartitionException;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
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
  /**
   * Linger and retry timers. Not Pekko's scheduler: its resolution is its tick (10 ms), which
   * would stretch a 5 ms linger to 10-20 ms of latency.
   */
  private final ScheduledExecutorService timer;
  private final Semaphore buffer;
  private final Map<String, PartitionQueue[]> queues = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> unkeyedBytes = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private volatile ProducerIdAllocator.ProducerIdentity identity;
  /** The transaction protocol, or null for a producer without a transactional id. */
  private final ProducerTransaction transaction;

  /**
   * Creates a producer; with a transactional id, blocks until the transaction coordinator has
   * given it its epoch.
   */
  ProducerImpl(ActorSystem<?> system, ProducerSettings settings, TopicCache topics,
      ScheduledExecutorService timer, String transactionalId,
      java.time.Duration transactionTimeout) {
    this.system = system;
    this.timer = timer;
    this.settings = settings;
    this.topics = topics;
    this.buffer = new Semaphore((int) Math.min(Integer.MAX_VALUE, settings.bufferBytes()));
    this.transaction = transactionalId != null ? new ProducerTransaction(system, transactionalId,
        transactionTimeout, settings.deliveryTimeout()) : null;
    this.identity = transaction != null ? transaction.identity() : null;
  }

  @Override
  public void beginTransaction() {
    transaction().begin();
  }

  @Override
  public void commitTransaction() {
    transaction().end(true, this::flush);
  }

  @Override
  public void abortTransaction() {
    transaction().end(false, this::flush);
  }

  @Override
  public void sendOffsetsToTransaction(String groupId,
      Map<io.weir.log.api.TopicPartition, Long> nextOffsets) {
    transaction().addOffsets(groupId, null, nextOffsets);
  }

  @Override
  public void sendOffsetsToTransaction(java.util.Collection<? extends CommittableOffset> offsets) {
    Map<List<String>, Map<io.weir.log.api.TopicPartition, Long>> byMember =
        new java.util.LinkedHashMap<>();
    for (CommittableOffset o : offsets) {
      if (!(o instanceof GroupOffset g)) {
        throw new WeirException("offset of " + o.topicPartition()
            + " was not read through Log.committableSource");
      }
      byMember.computeIfAbsent(List.of(g.groupId(), g.memberId()), k -> new HashMap<>())
          .merge(g.topicPartition(), g.offset() + 1, Math::max);
    }
    byMember.forEach((groupAndMember, next) ->
        transaction().addOffsets(groupAndMember.get(0), groupAndMember.get(1), next));
  }

  /** The producer id and epoch of a transactional producer. */
  ProducerIdAllocator.ProducerIdentity transactionIdentity() {
    return transaction().identity();
  }

  private ProducerTransaction transaction() {
    if (transaction == null) {
      throw new WeirException("this producer has no transactional id; create it with "
          + "Log.newTransactionalProducer");
    }
    return transaction;
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
      if (transaction != null) {
        transaction.register(topic.name(), partition);
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
              new ProducerIdAllocator.Allocate(null, r), settings.deliveryTimeout()),
          settings.deliveryTimeout(), "allocating a producer id");
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
  /** The most a batch waiting for an in-flight slot grows to by taking later batches. */
  private static final long MAX_APPEND_BYTES = 4L * 1024 * 1024;

  private record Pending(PartitionEntity.AppendRecord record,
      CompletableFuture<RecordMetadata> result, int permits) {}

  /** A sealed batch; compared by identity (a set of unacknowledged batches holds it). */
  private static final class Batch {
    final List<Pending> records = new ArrayList<>();
    final List<PartitionEntity.AppendRecord> appendRecords = new ArrayList<>();
    /** The batch's place among its partition's batches (0, 1, 2, …): the send window's unit. */
    final long number;
    final int baseSequence;
    final long deadlineNanos;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    long bytes;

    Batch(long number, List<Pending> records, long bytes, int baseSequence, long deadlineNanos) {
      this.number = number;
      this.baseSequence = baseSequence;
      this.deadlineNanos = deadlineNanos;
      add(records, bytes);
    }

    /** Takes more records (with the next sequence numbers) before the batch is sent. */
    void add(List<Pending> more, long moreBytes) {
      records.addAll(more);
      for (Pending p : more) {
        appendRecords.add(p.record());
      }
      bytes += moreBytes;
    }
  }

  /** One partition's open batch, sealed batches waiting, and those sent but unacknowledged. */
  private final class PartitionQueue {
    private final String topic;
    private final int partition;
    private List<Pending> open = new ArrayList<>();
    private long openBytes;
    private ScheduledFuture<?> linger;
    private long nextBatchNumber;
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
        linger = timer.schedule(this::sealOnLinger, settings.linger().toNanos(),
            TimeUnit.NANOSECONDS);
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
        linger.cancel(false);
        linger = null;
      }
      if (open.isEmpty()) {
        return;
      }
      Batch waiting = ready.peekLast();
      if (waiting != null && waiting.bytes + openBytes <= MAX_APPEND_BYTES) {
        // Every in-flight slot is taken (the partition is the bottleneck, e.g. on fsync): grow
        // the batch that waits instead of queueing another, so the partition persists more
        // records per write. Its records keep consecutive sequence numbers.
        waiting.add(open, openBytes);
      } else {
        Batch batch = new Batch(nextBatchNumber++, open, openBytes, nextSequence,
            System.nanoTime() + settings.deliveryTimeout().toNanos());
        ready.add(batch);
        unacknowledged.add(batch);
      }
      nextSequence += open.size();
      open = new ArrayList<>();
      openBytes = 0;
      pump();
    }

    /**
     * Sends the batches that fall within the window: at most {@code maxInFlight} batches from the
     * oldest one still unacknowledged, counting those acknowledged in between. A count of batches
     * in flight would not do: while the oldest waits for a retry, later ones are acknowledged and
     * more are sent, and by the time its retry arrives the partition no longer remembers it (a
     * partition keeps a producer's last five batches), so a batch it wrote looks like a sequence
     * gap. Kafka bounds its in-flight requests to five for the same reason.
     */
    private void pump() {
      while (!ready.isEmpty()
          && ready.peek().number < unacknowledged.iterator().next().number
              + settings.maxInFlight()) {
        send(ready.poll());
      }
    }

    private void send(Batch batch) {
      ProducerIdAllocator.ProducerIdentity id = identity;
      partitionRef.<PartitionEntity.Appended>askWithStatus(
              (ActorRef<StatusReply<PartitionEntity.Appended>> replyTo) -> id == null
                  ? new PartitionEntity.Append(batch.appendRecords, replyTo)
                  : new PartitionEntity.Append(batch.appendRecords, id.producerId(), id.epoch(),
                      batch.baseSequence, transaction != null, replyTo),
              settings.requestTimeout())
          .whenComplete((appended, error) -> {
            if (error != null && retriable(batch, error)) {
              timer.schedule(() -> send(batch), RETRY_BACKOFF.toMillis(), TimeUnit.MILLISECONDS);
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
          if (transaction != null) {
            transaction.failed(failure);
          }
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
