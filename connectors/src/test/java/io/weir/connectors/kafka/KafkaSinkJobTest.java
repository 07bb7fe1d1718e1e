package io.weir.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kafka sink in jobs of the stream runtime, against a real broker. */
class KafkaSinkJobTest {
  private static final Set<Long> FAIL_AT = Set.of(900L, 2_100L);
  private static final AtomicLong SEEN = new AtomicLong();
  private static KafkaBroker broker;
  private static StreamTestKit kit;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start();
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() {
    if (kit != null) {
      kit.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * args: bootstrap servers, topic, delivery (exactly-once prefix or "at-least-once"), count,
   * whether to inject failures. Generated "v0".."vN-1", checkpoints every 100 ms.
   */
  public static final class Write implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(100)));
      boolean inject = Boolean.parseBoolean(args.get(4));
      KafkaSink.Builder<String> sink = KafkaSink.newBuilder(KafkaRecordSerializer.utf8Values())
          .bootstrapServers(args.get(0)).topic(args.get(1))
          .transactionTimeout(Duration.ofMinutes(2));
      if (!args.get(2).equals("at-least-once")) {
        sink.exactlyOnce(args.get(2));
      }
      job.generate(i -> "v" + i, Long.parseLong(args.get(3)))
          .map(v -> {
            long n = SEEN.incrementAndGet();
            if (inject && FAIL_AT.contains(n)) {
              throw new IllegalStateException("injected failure at element " + n);
            }
            if (n % 100 == 0) {
              Thread.sleep(5); // spread the input over a few checkpoints
            }
            return v;
          }).name("Inject")
          .sinkTo(sink.build());
    }
  }

  private static List<String> expected(int count) {
    return IntStream.range(0, count).mapToObj(i -> "v" + i).sorted().toList();
  }

  @Test
  void exactlyOnceAcrossInjectedFailuresEachRecordIsCommittedOnce() throws Exception {
    broker.createTopic("eo", 3);
    SEEN.set(0);
    JobStatus status = kit.run(Write.class, broker.bootstrapServers(), "eo", "weir-eo", "3000",
        "true");
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertTrue(status.restarts() >= 2, status.summary());
    List<String> committed = KafkaTopics.values(broker.bootstrapServers(), "eo",
        "read_committed", 3000);
    assertEquals(expected(3000), committed.stream().sorted().toList(),
        "read_committed sees each record once");
    List<String> all = KafkaTopics.values(broker.bootstrapServers(), "eo", "read_uncommitted",
        3000);
    System.out.println("read_uncommitted saw " + all.size() + " records (aborted ones included)"
        + ", read_committed " + committed.size());
    // The failures aborted what their attempts had written since the last checkpoint.
    assertTrue(all.size() > 3000, "aborted records are in the topic: " + all.size());
    assertEquals(Set.of(), openTransactions("weir-eo-"), "no transaction left open");
  }

  @Test
  void aTransactionLeftOpenByACrashedAttemptIsAbortedAndDoesNotShow() throws Exception {
    broker.createTopic("lingering", 1);
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    // A number the sink would not pick itself: found by listing the cluster's transactions.
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "weir-ling-0-7");
    KafkaProducer<String, String> crashed = new KafkaProducer<>(config);
    crashed.initTransactions();
    crashed.beginTransaction();
    crashed.send(new ProducerRecord<>("lingering", "left open"));
    crashed.flush();
    assertEquals(Set.of("weir-ling-0-7"), openTransactions("weir-ling-"));
    try {
      SEEN.set(0);
      JobStatus status = kit.run(Write.class, broker.bootstrapServers(), "lingering",
          "weir-ling", "500", "false");
      assertEquals(JobState.FINISHED, status.state(), status.summary());
      // An open transaction would hold read_committed consumers before its first record.
      assertEquals(expected(500), KafkaTopics.values(broker.bootstrapServers(), "lingering",
          "read_committed", 500).stream().sorted().toList());
      assertEquals(Set.of(), openTransactions("weir-ling-"));
    } finally {
      crashed.close(Duration.ZERO);
    }
  }

  @Test
  void atLeastOnceDeliversEveryRecord() throws Exception {
    broker.createTopic("alo", 2);
    SEEN.set(0);
    JobStatus status = kit.run(Write.class, broker.bootstrapServers(), "alo", "at-least-once",
        "1000", "false");
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertEquals(new HashSet<>(expected(1000)), new HashSet<>(KafkaTopics.values(
        broker.bootstrapServers(), "alo", "read_uncommitted", 1000)));
  }

  private static Set<String> openTransactions(String prefix) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()))) {
      return admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
          .filter(t -> t.transactionalId().startsWith(prefix)
              && t.state() == TransactionState.ONGOING)
          .map(TransactionListing::transactionalId).collect(Collectors.toSet());
    }
  }
}
