package io.weir.connectors.kafka.internal;

import io.weir.connectors.kafka.KafkaSinkSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional producers of this JVM's exactly-once Kafka sinks, by transactional id. A
 * writer takes an idle one (or creates one with the lowest free number of its
 * {@code prefix-subtask-}), the committer commits through the same producer when it is still
 * there and gives it back, so a sink uses as many transactional ids per subtask as it has
 * transactions in flight (one open, one per checkpoint not yet committed), not one per
 * checkpoint. The writer and the committer of a subtask run on the subtask's thread; the map is
 * concurrent because subtasks of many jobs share it.
 */
final class TransactionalProducers {
  private static final Logger LOG = LoggerFactory.getLogger(TransactionalProducers.class);
  private static final Map<String, Entry> LIVE = new ConcurrentHashMap<>();

  private TransactionalProducers() {}

  /** Where a producer's transaction stands. */
  enum State { IDLE, OPEN, PRECOMMITTED }

  /** A live producer and its transaction. */
  static final class Entry {
    final String transactionalId;
    final KafkaProducer<byte[], byte[]> producer;
    volatile State state;
    volatile long producerId = -1;
    volatile short epoch = -1;

    Entry(String transactionalId, KafkaProducer<byte[], byte[]> producer) {
      this.transactionalId = transactionalId;
      this.producer = producer;
      this.state = State.IDLE;
    }
  }

  /** The producers' configuration for a transactional id. */
  static Map<String, Object> config(KafkaSinkSettings settings, String transactionalId) {
    Map<String, Object> config = new HashMap<>(settings.properties());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    if (transactionalId != null) {
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
          (int) settings.transactionTimeout().toMillis());
      config.put(ProducerConfig.CLIENT_ID_CONFIG, "weir-kafka-sink-" + transactionalId);
    }
    return config;
  }

  /** Whether a transactional id is one of {@code subtaskPrefix} followed by a number. */
  static boolean ownedBy(String transactionalId, String subtaskPrefix) {
    return transactionalId.startsWith(subtaskPrefix)
        && transactionalId.substring(subtaskPrefix.length()).matches("\\d+");
  }

  /** An idle producer of {@code subtaskPrefix}, initialized, now OPEN; blocks to create one. */
  static synchronized Entry acquire(KafkaSinkSettings settings, String subtaskPrefix) {
    for (Entry e : LIVE.values()) {
      if (e.state == State.IDLE && ownedBy(e.transactionalId, subtaskPrefix)) {
        e.state = State.OPEN;
        return e;
      }
    }
    int n = 0;
    while (LIVE.containsKey(subtaskPrefix + n)) {
      n++;
    }
    String id = subtaskPrefix + n;
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config(settings, id));
    try {
      producer.initTransactions(); // aborts what an earlier producer of this id left open
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw e;
    }
    Entry entry = new Entry(id, producer);
    entry.state = State.OPEN;
    LIVE.put(id, entry);
    return entry;
  }

  /** The live producer of a transactional id; null when there is none in this JVM. */
  static Entry live(String transactionalId) {
    return LIVE.get(transactionalId);
  }

  /** Closes a producer and forgets it. */
  static void discard(Entry entry) {
    LIVE.remove(entry.transactionalId, entry);
    try {
      entry.producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debug("closing producer {} failed", entry.transactionalId, e);
    }
  }

  /** Closes the idle producers of {@code subtaskPrefix}. */
  static void closeIdle(String subtaskPrefix) {
    for (Entry e : List.copyOf(LIVE.values())) {
      if (e.state == State.IDLE && ownedBy(e.transactionalId, subtaskPrefix)) {
        discard(e);
      }
    }
  }

  /**
   * Aborts every transaction of {@code subtaskPrefix} still open: those of this JVM's producers
   * (an earlier attempt's, after the restore committed what it had to), then those the cluster
   * lists as ongoing (a crashed JVM's), by fencing their transactional ids. Blocks.
   */
  static void abortLingering(KafkaSinkSettings settings, String subtaskPrefix) throws Exception {
    for (Entry e : List.copyOf(LIVE.values())) {
      if (e.state != State.IDLE && ownedBy(e.transactionalId, subtaskPrefix)) {
        try {
          e.producer.abortTransaction();
          e.state = State.IDLE;
          LOG.info("aborted lingering transaction {}", e.transactionalId);
        } catch (RuntimeException ex) {
          discard(e);
        }
      }
    }
    try (Admin admin = Admin.create(KafkaClients.admin(settings.bootstrapServers(),
        settings.properties()))) {
      for (TransactionListing t : admin.listTransactions().all().get(60, TimeUnit.SECONDS)) {
        Entry live = LIVE.get(t.transactionalId());
        if (ownedBy(t.transactionalId(), subtaskPrefix) && live == null
            && (t.state() == TransactionState.ONGOING
                || t.state() == TransactionState.PREPARE_EPOCH_FENCE)) {
          fence(settings, t.transactionalId());
          LOG.info("aborted lingering transaction {} of producer {}", t.transactionalId(),
              t.producerId());
        }
      }
    }
  }

  /** Aborts the open transaction of a transactional id by initializing a producer with it. */
  static void fence(KafkaSinkSettings settings, String transactionalId) {
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config(settings,
        transactionalId))) {
      producer.initTransactions();
    }
  }
}
