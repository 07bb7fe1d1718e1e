package io.weir.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CollectSink;
import io.weir.stream.CommittingSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kafka source in jobs of the stream runtime, against a real broker. */
class KafkaSourceJobTest {
  private static final Set<Long> FAIL_AT = Set.of(700L, 1_500L);
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

  static void produce(String topic, int partitions, int perPartition) {
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < perPartition; i++) {
        for (int p = 0; p < partitions; p++) {
          producer.send(new ProducerRecord<>(topic, p, "k" + i, p + "/" + i));
        }
      }
    }
  }

  static KafkaProducer<String, String> producer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return new KafkaProducer<>(config);
  }

  /** args: bootstrap servers, topic, parallelism, result name. Bounded, all records. */
  public static final class ReadAll implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(Integer.parseInt(args.get(2)));
      job.fromSource(KafkaSource.newBuilder(KafkaRecordDeserializer.records())
              .bootstrapServers(args.get(0)).topics(List.of(args.get(1))).bounded().build(),
              "Kafka")
          .map(r -> r.partition() + ":" + r.offset() + ":" + r.keyAsString() + ":"
              + r.valueAsString())
          .sinkTo(new CollectSink<>(args.get(3)));
    }
  }

  @Test
  void aBoundedSourceReadsEveryPartitionInOrderAndFinishes() throws Exception {
    broker.createTopic("three", 3);
    produce("three", 3, 400);
    JobStatus status = kit.run(ReadAll.class, broker.bootstrapServers(), "three", "2", "three");
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    Map<Integer, List<String>> byPartition = new TreeMap<>();
    for (Object o : CollectSink.results("three")) {
      String[] f = o.toString().split(":");
      byPartition.computeIfAbsent(Integer.parseInt(f[0]), k -> new ArrayList<>())
          .add(f[1] + ":" + f[3]);
    }
    assertEquals(Set.of(0, 1, 2), byPartition.keySet());
    for (var e : byPartition.entrySet()) {
      int p = e.getKey();
      assertEquals(IntStream.range(0, 400).mapToObj(i -> i + ":" + p + "/" + i).toList(),
          e.getValue(), "partition " + p + " in offset order, each record once");
    }
  }

  /** args: bootstrap servers, topic, group. Unbounded, with checkpoints and injected failures. */
  public static final class Resume implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(100)));
      job.fromSource(KafkaSource.newBuilder(KafkaRecordDeserializer.utf8Values())
              .bootstrapServers(args.get(0)).topics(List.of(args.get(1)))
              .groupId(args.get(2)).build(), "Kafka")
          .map(value -> {
            long n = SEEN.incrementAndGet();
            if (FAIL_AT.contains(n)) {
              throw new IllegalStateException("injected failure at record " + n);
            }
            return value;
          }).name("Inject")
          .sinkTo(new CommittingSink("resumed"));
    }
  }

  @Test
  void aRestoredJobResumesAtTheCheckpointedOffsetsWithNoLossNorDuplicate() throws Exception {
    broker.createTopic("orders", 2);
    produce("orders", 2, 500);
    JobStatus job = StreamTestKit.await(kit.jobs().submit(Resume.class,
        List.of(broker.bootstrapServers(), "orders", "resume-group")));
    awaitCommitted(1000);
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 500; i < 1000; i++) {
        producer.send(new ProducerRecord<>("orders", i % 2, "k", "late/" + i));
      }
    }
    awaitCommitted(1500);
    Thread.sleep(1000); // a duplicate would show up now
    JobStatus status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    assertTrue(status.restarts() >= 1, status.summary());
    List<String> expected = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      for (int i = 0; i < 500; i++) {
        expected.add(p + "/" + i);
      }
    }
    IntStream.range(500, 1000).forEach(i -> expected.add("late/" + i));
    assertEquals(expected.stream().sorted().toList(),
        CommittingSink.committed("resumed").stream().sorted().toList(), status.summary());
    // The group's offsets follow the completed checkpoints, up to the ends of the partitions.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Map<TopicPartition, Long> committed;
    do {
      Thread.sleep(100);
      committed = groupOffsets("resume-group");
    } while (!committed.equals(Map.of(new TopicPartition("orders", 0), 750L,
        new TopicPartition("orders", 1), 750L)) && System.nanoTime() < deadline);
    assertEquals(Map.of(new TopicPartition("orders", 0), 750L,
        new TopicPartition("orders", 1), 750L), committed);
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }

  private static void awaitCommitted(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (CommittingSink.committed("resumed").size() < count) {
      assertTrue(System.nanoTime() < deadline, "committed so far: "
          + CommittingSink.committed("resumed").size());
      Thread.sleep(50);
    }
  }

  private static Map<TopicPartition, Long> groupOffsets(String group) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()))) {
      Map<TopicPartition, Long> result = new HashMap<>();
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      offsets.forEach((tp, om) -> result.put(tp, om == null ? -1 : om.offset()));
      return result;
    }
  }

  /** args: bootstrap servers, topic, dead-letter topic or "-", result name. Numbers only. */
  public static final class Numbers implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      KafkaSource.Builder<Integer> source = KafkaSource.newBuilder(
              (KafkaRecord r) -> Integer.parseInt(r.valueAsString()))
          .bootstrapServers(args.get(0)).topics(List.of(args.get(1))).bounded();
      if (!args.get(2).equals("-")) {
        source.deadLetterTopic(args.get(2));
      }
      job.fromSource(source.build(), "Kafka").sinkTo(new CollectSink<>(args.get(3)));
    }
  }

  @Test
  void anUndeserializableRecordFailsTheJobNamingWhereItIs() throws Exception {
    broker.createTopic("numbers", 1);
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>("numbers", 0, null, "1"));
      producer.send(new ProducerRecord<>("numbers", 0, null, "two"));
      producer.send(new ProducerRecord<>("numbers", 0, null, "3"));
    }
    JobStatus status = kit.run(Numbers.class, broker.bootstrapServers(), "numbers", "-",
        "numbers");
    assertEquals(JobState.FAILED, status.state(), status.summary());
    assertTrue(status.failure().contains("offset 1 of topic numbers, partition 0")
        && status.failure().contains("NumberFormatException"), status.failure());

    broker.createTopic("numbers-dlq", 1);
    status = kit.run(Numbers.class, broker.bootstrapServers(), "numbers", "numbers-dlq",
        "numbers-ok");
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertEquals(List.of(1, 3), CollectSink.results("numbers-ok"));
    status = kit.run(ReadAll.class, broker.bootstrapServers(), "numbers-dlq", "1", "dlq");
    assertEquals(List.of("0:0:null:two"), CollectSink.results("dlq"));
  }

  @Test
  void anUnknownTopicFailsTheJob() throws Exception {
    JobStatus status = kit.run(ReadAll.class, broker.bootstrapServers(), "no-such-topic", "1",
        "none");
    assertEquals(JobState.FAILED, status.state(), status.summary());
    assertTrue(status.failure().contains("does not exist"), status.failure());
    assertTrue(status.failure().contains("no-such-topic"), status.failure());
  }

  /**
   * args: bootstrap servers, topic, starting offsets (earliest, latest, committed:GROUP,
   * timestamp:MILLIS, specific:OFFSET for partition 0), result name. Bounded.
   */
  public static final class StartAt implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      String[] mode = args.get(2).split(":", 2);
      KafkaSource.Builder<String> source = KafkaSource.newBuilder(
              KafkaRecordDeserializer.utf8Values())
          .bootstrapServers(args.get(0)).topics(List.of(args.get(1))).bounded();
      switch (mode[0]) {
        case "latest" -> source.startingOffsets(StartingOffsets.latest());
        case "committed" -> source.groupId(mode[1])
            .startingOffsets(StartingOffsets.committed());
        case "timestamp" -> source.startingOffsets(StartingOffsets.timestamp(
            Long.parseLong(mode[1])));
        case "specific" -> source.startingOffsets(StartingOffsets.specific(Map.of(
            new KafkaPartition(args.get(1), 0), Long.parseLong(mode[1]))));
        default -> source.startingOffsets(StartingOffsets.earliest());
      }
      job.fromSource(source.build(), "Kafka").sinkTo(new CollectSink<>(args.get(3)));
    }
  }

  @Test
  void startingOffsetsPickWhereEachPartitionBegins() throws Exception {
    broker.createTopic("starts", 1);
    try (KafkaProducer<String, String> producer = producer()) {
      for (int i = 0; i < 10; i++) {
        // Timestamps 1000, 2000, ... so a timestamp picks a record.
        producer.send(new ProducerRecord<>("starts", 0, (i + 1) * 1000L, null, "r" + i));
      }
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()))) {
      admin.alterConsumerGroupOffsets("starts-group", Map.of(new TopicPartition("starts", 0),
          new OffsetAndMetadata(7))).all().get(30, TimeUnit.SECONDS);
    }
    Map<String, List<String>> expected = Map.of(
        "earliest", IntStream.range(0, 10).mapToObj(i -> "r" + i).toList(),
        "latest", List.of(),
        "committed:starts-group", List.of("r7", "r8", "r9"),
        "timestamp:4500", List.of("r4", "r5", "r6", "r7", "r8", "r9"),
        "specific:8", List.of("r8", "r9"));
    for (var e : expected.entrySet()) {
      JobStatus status = kit.run(StartAt.class, broker.bootstrapServers(), "starts", e.getKey(),
          "starts-" + e.getKey());
      assertEquals(JobState.FINISHED, status.state(), status.summary());
      assertEquals(e.getValue(), CollectSink.results("starts-" + e.getKey()), e.getKey());
    }
  }

  /** args: bootstrap servers, topic pattern, result name. Unbounded, discovery every 300 ms. */
  public static final class Discover implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.fromSource(KafkaSource.newBuilder(KafkaRecordDeserializer.utf8Values())
              .bootstrapServers(args.get(0)).topicPattern(args.get(1))
              .partitionDiscoveryInterval(Duration.ofMillis(300)).build(), "Kafka")
          .sinkTo(new CollectSink<>(args.get(2)));
    }
  }

  @Test
  void newPartitionsAndMatchingTopicsAreFoundWhileTheJobRuns() throws Exception {
    broker.createTopic("disc-a", 1);
    produce("disc-a", 1, 3);
    JobStatus job = StreamTestKit.await(kit.jobs().submit(Discover.class,
        List.of(broker.bootstrapServers(), "disc-.*", "discovered")));
    awaitResults("discovered", 3);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()))) {
      admin.createPartitions(Map.of("disc-a",
          org.apache.kafka.clients.admin.NewPartitions.increaseTo(2))).all()
          .get(30, TimeUnit.SECONDS);
    }
    broker.createTopic("disc-b", 1);
    broker.createTopic("other", 1);
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>("disc-a", 1, null, "new partition"));
      producer.send(new ProducerRecord<>("disc-b", 0, null, "new topic"));
      producer.send(new ProducerRecord<>("other", 0, null, "not matching"));
    }
    awaitResults("discovered", 5);
    Thread.sleep(1000); // "not matching" would show up now
    assertEquals(List.of("0/0", "0/1", "0/2", "new partition", "new topic"),
        CollectSink.results("discovered").stream().map(String::valueOf).sorted().toList());
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }

  private static void awaitResults(String name, int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (CollectSink.results(name).size() < count) {
      assertTrue(System.nanoTime() < deadline, "results so far: " + CollectSink.results(name));
      Thread.sleep(50);
    }
  }
}
