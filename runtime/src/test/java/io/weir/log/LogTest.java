package io.weir.log;

import static io.weir.log.LogTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.InvalidTopicException;
import io.weir.log.api.LogProducer;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.RecordMetadata;
import io.weir.log.api.RecordTooLargeException;
import io.weir.log.api.StartPosition;
import io.weir.log.api.TopicExistsException;
import io.weir.log.api.UnknownPartitionException;
import io.weir.log.api.UnknownTopicException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The log's semantics: offsets, ordering, positions, tailing, journal reads and bad input. */
class LogTest {
  private static LogTestKit kit;

  @BeforeAll
  static void start() {
    // A tiny tail cache, so most reads below go to the journal rather than memory.
    kit = new LogTestKit(Clock.systemUTC(), "weir.log.tail-cache-bytes = 2 KiB");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static List<ConsumerRecord> read(String topic, int partition, StartPosition from,
      long count) throws Exception {
    return await(kit.log.source(topic, partition, from).take(count)
        .runWith(Sink.seq(), kit.testKit.system()));
  }

  @Test
  void offsetsAreDenseAndOrderedUnderConcurrentProducers() throws Exception {
    await(kit.log.createTopic("dense", 4, Map.of()));
    int producers = 4;
    int perProducer = 3000;
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    List<Future<List<RecordMetadata>>> results = new ArrayList<>();
    for (int t = 0; t < producers; t++) {
      int thread = t;
      results.add(pool.submit(() -> {
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        try (LogProducer producer = kit.log.newProducer(
            ProducerSettings.defaults().withBatchBytes(4096))) {
          for (int i = 0; i < perProducer; i++) {
            sent.add(producer.send(ProducerRecord.of("dense", "key" + (i % 50),
                thread + ":" + i)).toCompletableFuture());
          }
        }
        List<RecordMetadata> out = new ArrayList<>();
        for (CompletableFuture<RecordMetadata> f : sent) {
          out.add(f.get());
        }
        return out;
      }));
    }
    long acknowledged = 0;
    for (Future<List<RecordMetadata>> f : results) {
      acknowledged += f.get().size();
    }
    pool.shutdown();
    assertEquals(producers * perProducer, acknowledged);

    long total = 0;
    for (PartitionOffsets o : await(kit.log.offsets("dense"))) {
      List<ConsumerRecord> records = read("dense", o.partition(), StartPosition.earliest(),
          o.logEndOffset());
      Map<String, Integer> lastSeqPerProducerAndKey = new HashMap<>();
      for (int i = 0; i < records.size(); i++) {
        ConsumerRecord r = records.get(i);
        assertEquals(i, r.offset(), "offsets are dense from 0");
        String[] parts = r.valueString().split(":");
        String stream = parts[0] + "/" + r.keyString();
        int seq = Integer.parseInt(parts[1]);
        Integer previous = lastSeqPerProducerAndKey.put(stream, seq);
        assertTrue(previous == null || previous < seq, "per-producer order kept for " + stream);
      }
      total += records.size();
    }
    assertEquals(producers * perProducer, total);
  }

  @Test
  void aConsumerAtTheEndReceivesNewAppendsAsTheyArrive() throws Exception {
    await(kit.log.createTopic("tail", 1, Map.of()));
    LogProducer producer = kit.log.newProducer(ProducerSettings.defaults());
    await(producer.send(ProducerRecord.of("tail", "k", "before")));
    long end = await(kit.log.offsets("tail")).get(0).logEndOffset();
    CompletableFuture<List<ConsumerRecord>> tailing = kit.log
        .source("tail", 0, StartPosition.offset(end)).take(200)
        .runWith(Sink.seq(), kit.testKit.system()).toCompletableFuture();
    for (int i = 0; i < 200; i++) {
      producer.send(ProducerRecord.of("tail", "k", "after-" + i));
      if (i % 50 == 0) {
        await(producer.flush());
      }
    }
    producer.close();
    List<ConsumerRecord> received = tailing.get();
    for (int i = 0; i < 200; i++) {
      assertEquals("after-" + i, received.get(i).valueString());
      assertEquals(end + i, received.get(i).offset());
    }
  }

  @Test
  void startPositionsEarliestLatestOffsetAndTimestamp() throws Exception {
    await(kit.log.createTopic("positions", 1, Map.of()));
    try (LogProducer producer = kit.log.newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < 100; i++) {
        producer.send(ProducerRecord.of("positions", "k", "v" + i).withTimestamp(10_000 + i));
      }
    }
    assertEquals("v0", read("positions", 0, StartPosition.earliest(), 1).get(0).valueString());
    assertEquals("v42", read("positions", 0, StartPosition.offset(42), 1).get(0).valueString());
    ConsumerRecord byTime = read("positions", 0, StartPosition.timestamp(10_050), 1).get(0);
    assertEquals(10_050, byTime.timestamp());
    assertEquals(50, byTime.offset());
    List<ConsumerRecord> all = await(kit.log.source("positions", StartPosition.earliest())
        .take(100).runWith(Sink.seq(), kit.testKit.system()));
    assertEquals(100, all.size());
  }

  @Test
  void theProducerFlowEmitsMetadataInInputOrder() throws Exception {
    await(kit.log.createTopic("flow", 2, Map.of()));
    List<RecordMetadata> out = await(Source.range(1, 5000)
        .map(i -> ProducerRecord.of("flow", "k" + (i % 7), "v" + i))
        .via(kit.log.producerFlow(ProducerSettings.defaults().withMaxOutstanding(512)))
        .runWith(Sink.seq(), kit.testKit.system()));
    assertEquals(5000, out.size());
    Map<Integer, Long> lastOffset = new HashMap<>();
    for (RecordMetadata m : out) {
      Long previous = lastOffset.put(m.partition(), m.offset());
      assertTrue(previous == null || previous < m.offset());
    }
  }

  @Test
  void badInputGetsSpecificErrorsAndLosesNothing() throws Exception {
    await(kit.log.createTopic("strict", 2, Map.of("max.message.bytes", "200")));
    LogProducer producer = kit.log.newProducer(ProducerSettings.defaults());
    RecordMetadata ok = await(producer.send(ProducerRecord.of("strict", "k", "small")));

    ExecutionException tooLarge = assertThrows(ExecutionException.class, () -> await(
        producer.send(ProducerRecord.of("strict", "k", "x".repeat(500)))));
    assertInstanceOf(RecordTooLargeException.class, tooLarge.getCause());
    assertTrue(tooLarge.getCause().getMessage().contains("max.message.bytes=200"));

    ExecutionException unknownTopic = assertThrows(ExecutionException.class, () -> await(
        producer.send(ProducerRecord.of("nope", "k", "v"))));
    assertInstanceOf(UnknownTopicException.class, unknownTopic.getCause());

    ExecutionException badPartition = assertThrows(ExecutionException.class, () -> await(
        producer.send(ProducerRecord.of("strict", "k", "v").withPartition(7))));
    assertInstanceOf(UnknownPartitionException.class, badPartition.getCause());

    assertInstanceOf(TopicExistsException.class, assertThrows(ExecutionException.class,
        () -> await(kit.log.createTopic("strict", 1, Map.of()))).getCause());
    assertInstanceOf(InvalidTopicException.class, assertThrows(ExecutionException.class,
        () -> await(kit.log.createTopic("zero", 0, Map.of()))).getCause());
    Throwable badKey = assertThrows(ExecutionException.class,
        () -> await(kit.log.createTopic("cfg", 1, Map.of("retention.minutes", "5")))).getCause();
    assertTrue(badKey.getMessage().contains("retention.minutes"), badKey.getMessage());
    Throwable badValue = assertThrows(ExecutionException.class,
        () -> await(kit.log.createTopic("cfg", 1, Map.of("retention.ms", "soon")))).getCause();
    assertTrue(badValue.getMessage().contains("retention.ms 'soon'"), badValue.getMessage());

    producer.close();
    List<ConsumerRecord> kept = read("strict", ok.partition(), StartPosition.earliest(), 1);
    assertEquals("small", kept.get(0).valueString());
    assertEquals(ok.offset(), kept.get(0).offset());
    assertInstanceOf(UnknownTopicException.class, assertThrows(ExecutionException.class,
        () -> read("nope", 0, StartPosition.earliest(), 1)).getCause());
  }

  @Test
  void deletingATopicRemovesItsRecordsAndARecreatedTopicStartsAtZero() throws Exception {
    await(kit.log.createTopic("gone", 1, Map.of()));
    try (LogProducer producer = kit.log.newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < 10; i++) {
        producer.send(ProducerRecord.of("gone", "k", "old" + i));
      }
    }
    await(kit.log.deleteTopic("gone"));
    assertInstanceOf(UnknownTopicException.class, assertThrows(ExecutionException.class,
        () -> await(kit.log.describeTopic("gone"))).getCause());
    await(kit.log.createTopic("gone", 1, Map.of()));
    try (LogProducer producer = kit.log.newProducer(ProducerSettings.defaults())) {
      RecordMetadata first = await(producer.send(ProducerRecord.of("gone", "k", "new")));
      assertEquals(0, first.offset());
    }
    assertEquals("new", read("gone", 0, StartPosition.earliest(), 1).get(0).valueString());
  }

  @Test
  void aSlowConsumerBoundsWhatIsFetched() throws Exception {
    await(kit.log.createTopic("slow", 1, Map.of()));
    try (LogProducer producer = kit.log.newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < 2000; i++) {
        producer.send(ProducerRecord.of("slow", "k", "v" + i));
      }
    }
    List<ConsumerRecord> got = await(kit.log.source("slow", 0, StartPosition.earliest())
        .throttle(500, Duration.ofMillis(100)).take(2000)
        .runWith(Sink.seq(), kit.testKit.system()));
    assertEquals(2000, got.size());
    for (int i = 0; i < got.size(); i++) {
      assertEquals(i, got.get(i).offset());
    }
  }
}
