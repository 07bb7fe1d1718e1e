package io.weir.benchmarks.log;

import io.weir.connectors.kafka.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The peer's side: Kafka's own clients in this JVM against a {@link KafkaBroker}. The producer
 * is Kafka's default (acks=all, idempotent, 5 in flight) with the batching Weir's producer has
 * by default (linger.ms=5, batch.size=256 KiB, buffer.memory=32 MiB); the consumer is Kafka's
 * default, assigned every partition (no group). {@link Durability#FSYNC} topics get
 * {@code flush.messages=1}: the broker fsyncs every append before it acknowledges.
 */
final class KafkaLogSide implements LogSide {
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaBroker broker;
  private final Durability mode;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  /**
   * Opens an admin client and a producer on {@code broker}.
   *
   * @param broker a running broker, never null
   * @param mode the durability of the topics this side creates
   */
  KafkaLogSide(KafkaBroker broker, Durability mode) {
    this.broker = broker;
    this.mode = mode;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    this.admin = Admin.create(a);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(32L * 1024 * 1024));
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "weir-bench-producer");
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String durability() {
    return "Kafka " + KafkaBroker.version() + " broker (KRaft, single node, own JVM, "
        + "127.0.0.1), producer acks=all idempotent linger.ms=5 batch.size=256 KiB, "
        + (mode == Durability.FSYNC ? "topic flush.messages=1 (fsync of every append before "
            + "the acknowledgement)" : "topic defaults (no fsync; the OS flushes)");
  }

  @Override
  public void createTopic(String topic, int partitions) throws Exception {
    Map<String, String> config = mode == Durability.FSYNC ? Map.of("flush.messages", "1")
        : Map.of();
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config)))
        .all().get(2, TimeUnit.MINUTES);
    awaitLeaders(topic, partitions);
  }

  /**
   * Waits until every partition's leader answers a list-offsets request. Without this, the
   * first produce to a brand-new topic can meet NOT_LEADER_OR_FOLLOWER, after which Kafka's
   * idempotent producer was seen retrying OUT_OF_ORDER_SEQUENCE_NUMBER until its batches expired.
   */
  private void awaitLeaders(String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> all = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      all.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (true) {
      try {
        admin.listOffsets(all).all().get(5, TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("kafka: the partitions of " + topic
              + " got no leader within a minute: " + e, e);
        }
        Thread.sleep(50);
      }
    }
  }

  @Override
  public long produce(String topic, Workload workload) {
    LongAdder acknowledged = new LongAdder();
    AtomicReference<Exception> error = new AtomicReference<>();
    long start = System.nanoTime();
    for (int i = 0; i < workload.size(); i++) {
      producer.send(new ProducerRecord<>(topic, workload.key(i), workload.value(i)),
          (metadata, e) -> {
            if (e == null) {
              acknowledged.increment();
            } else {
              error.compareAndSet(null, e);
            }
          });
    }
    producer.flush();
    long elapsed = System.nanoTime() - start;
    if (error.get() != null || acknowledged.sum() != workload.size()) {
      throw new IllegalStateException("kafka: " + acknowledged.sum() + " of " + workload.size()
          + " records acknowledged" + (error.get() == null ? "" : "; first error: " + error.get()),
          error.get());
    }
    return elapsed;
  }

  @Override
  public long consume(String topic, Workload workload) {
    Digest.Builder digest = new Digest.Builder();
    try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
      long start = System.nanoTime();
      assignAll(consumer, topic);
      long lastRecord = System.nanoTime();
      while (digest.count() < workload.size()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          digest.add(r.key(), r.value());
        }
        if (!records.isEmpty()) {
          lastRecord = System.nanoTime();
        } else if (System.nanoTime() - lastRecord > IDLE_TIMEOUT.toNanos()) {
          throw new IllegalStateException("kafka: read " + digest.count() + " of "
              + workload.size() + " records of " + topic + ", then none for "
              + IDLE_TIMEOUT.toSeconds() + " s");
        }
      }
      long elapsed = System.nanoTime() - start;
      Verify.sameDigest(name(), topic, workload.expected(), digest.build());
      return elapsed;
    }
  }

  @Override
  public LatencyProbe.Latencies latency(String topic, Workload values, LatencyProbe probe)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    Thread tail = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> consumer = newConsumer()) {
        assignAll(consumer, topic);
        while (running.get()) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
            probe.received(r.key());
          }
        }
      } catch (RuntimeException e) {
        probe.fail(e);
      }
    }, "kafka-latency-consumer");
    tail.start();
    try {
      return probe.run(seq -> producer.send(new ProducerRecord<>(topic, LatencyProbe.key(seq),
              values.value(seq % values.size())), (m, e) -> {
                if (e != null) {
                  probe.fail(e);
                }
              }), (int) IDLE_TIMEOUT.toSeconds());
    } finally {
      running.set(false);
      tail.join(10_000);
    }
  }

  @Override
  public void deleteTopic(String topic) {
    try {
      admin.deleteTopics(List.of(topic)).all().get(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      System.err.println("weir bench: could not delete kafka topic " + topic + ": " + e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
    admin.close(Duration.ofSeconds(30));
  }

  private KafkaConsumer<byte[], byte[]> newConsumer() {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "weir-bench-consumer");
    return new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static void assignAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
    int partitions = consumer.partitionsFor(topic).size();
    List<TopicPartition> all = IntStream.range(0, partitions)
        .mapToObj(p -> new TopicPartition(topic, p)).toList();
    consumer.assign(all);
    consumer.seekToBeginning(all);
  }
}
