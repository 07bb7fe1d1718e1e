package io.weir.log;

import static io.weir.log.LogTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.LogProducer;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.RecordMetadata;
import io.weir.log.api.InvalidRecordException;
import io.weir.log.api.StartPosition;
import io.weir.log.internal.PartitionEntity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compaction keeps the latest record per key, keeps offsets, and removes old tombstones. */
class CompactionTest {
  private static final ManualClock now = new ManualClock(5_000_000_000L);
  private static LogTestKit kit;

  @BeforeAll
  static void start() {
    kit = new LogTestKit(now, "weir.log.cleaner-interval = 1h");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void compactionKeepsTheLatestValuePerKeyAtItsOffsetAndDropsOldTombstones() throws Exception {
    await(kit.log.createTopic("compacted", 1, Map.of("cleanup.policy", "compact",
        "segment.bytes", "1024", "delete.retention.ms", "1000")));
    Map<String, RecordMetadata> latest = new HashMap<>();
    try (LogProducer producer = kit.log.newProducer(
        ProducerSettings.defaults().withBatchBytes(512).withLinger(Duration.ZERO))) {
      for (int round = 0; round < 20; round++) {
        for (int k = 0; k < 10; k++) {
          String key = "k" + k;
          latest.put(key, await(producer.send(ProducerRecord.of("compacted", key,
              key + "-v" + round).withTimestamp(now.millis()))));
        }
      }
      await(producer.send(new ProducerRecord("compacted", null,
          "k3".getBytes(StandardCharsets.UTF_8), null, List.of(), now.millis())));
      latest.remove("k3");
      now.advance(10_000);
      // The active segment: newer records that compaction leaves as they are.
      for (int f = 0; f < 40; f++) {
        await(producer.send(ProducerRecord.of("compacted", "f" + f, "filler-" + "x".repeat(30))
            .withTimestamp(now.millis())));
      }
    }
    PartitionOffsets before = await(kit.log.offsets("compacted")).get(0);
    assertEquals(241, before.logEndOffset());

    PartitionEntity.ref(kit.testKit.system(), "compacted", 0).tell(new PartitionEntity.Clean());
    PartitionOffsets after = before;
    for (int i = 0; i < 100 && after.sizeBytes() == before.sizeBytes(); i++) {
      Thread.sleep(100);
      after = await(kit.log.offsets("compacted")).get(0);
    }
    assertTrue(after.sizeBytes() < before.sizeBytes(), "compaction shrank the log: " + after);
    assertEquals(before.logStartOffset(), after.logStartOffset());
    assertEquals(before.logEndOffset(), after.logEndOffset());

    List<ConsumerRecord> records = await(kit.log.source("compacted", 0, StartPosition.earliest())
        .takeWhile(r -> r.offset() < 240, true)
        .runWith(Sink.seq(), kit.testKit.system()));
    Map<String, ConsumerRecord> byKey = new HashMap<>();
    long previousOffset = -1;
    int fillers = 0;
    for (ConsumerRecord r : records) {
      assertTrue(r.offset() > previousOffset, "offsets ascend");
      previousOffset = r.offset();
      if (r.keyString().startsWith("f")) {
        fillers++;
        continue;
      }
      assertTrue(byKey.put(r.keyString(), r) == null, "one record per key: " + r.keyString());
    }
    assertEquals(40, fillers, "the active segment is untouched");
    assertEquals(latest.keySet(), byKey.keySet(), "k3's tombstone and its values are gone");
    for (Map.Entry<String, RecordMetadata> e : latest.entrySet()) {
      assertEquals(e.getValue().offset(), byKey.get(e.getKey()).offset(), "offset kept");
      assertEquals(e.getKey() + "-v19", byKey.get(e.getKey()).valueString());
    }
  }

  @Test
  void aCompactedTopicRefusesRecordsWithoutAKey() throws Exception {
    await(kit.log.createTopic("keyed-only", 1, Map.of("cleanup.policy", "compact")));
    try (LogProducer producer = kit.log.newProducer(ProducerSettings.defaults())) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> await(producer.send(
          ProducerRecord.of("keyed-only", (String) null, "no key"))));
      assertInstanceOf(InvalidRecordException.class, e.getCause());
      assertTrue(e.getCause().getMessage().contains("needs a key"), e.getCause().getMessage());
    }
  }
}
