package io.weir.log;

import static io.weir.log.LogTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.LogProducer;
import io.weir.log.api.OffsetOutOfRangeException;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.RecordMetadata;
import io.weir.log.api.StartPosition;
import io.weir.log.internal.PartitionEntity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retention by size and by time, driven by a clock the test moves. */
class RetentionTest {
  private static final ManualClock now = new ManualClock(1_000_000_000L);
  private static LogTestKit kit;

  @BeforeAll
  static void start() {
    // The cleaner timer is slow here: the test sends Clean itself.
    kit = new LogTestKit(now, "weir.log.cleaner-interval = 1h");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static void produce(String topic, int count, String prefix) throws Exception {
    try (LogProducer producer = kit.log.newProducer(
        ProducerSettings.defaults().withBatchBytes(1024).withLinger(Duration.ZERO))) {
      for (int i = 0; i < count; i++) {
        RecordMetadata m = await(producer.send(ProducerRecord.of(topic, null, prefix + i)
            .withPartition(0)));
        assertTrue(m.offset() >= 0);
      }
    }
  }

  private static PartitionOffsets clean(String topic) throws Exception {
    TestProbe<StatusReply<PartitionOffsets>> probe = kit.testKit.createTestProbe();
    PartitionEntity.ref(kit.testKit.system(), topic, 0).tell(new PartitionEntity.Clean());
    PartitionEntity.ref(kit.testKit.system(), topic, 0)
        .tell(new PartitionEntity.GetOffsets(probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10)).getValue();
  }

  @Test
  void retentionBytesRemovesTheOldestBatchesAndReadsBelowTheStartFail() throws Exception {
    await(kit.log.createTopic("by-size", 1, Map.of("retention.bytes", "2000")));
    produce("by-size", 200, "v");
    PartitionOffsets before = await(kit.log.offsets("by-size")).get(0);
    assertEquals(0, before.logStartOffset());
    assertEquals(200, before.logEndOffset());

    PartitionOffsets after = clean("by-size");
    assertTrue(after.logStartOffset() > 0, "retention moved the start offset: " + after);
    assertTrue(after.sizeBytes() <= 2000 + 100, "size is near retention.bytes: " + after);
    assertEquals(200, after.logEndOffset());

    ExecutionException below = assertThrows(ExecutionException.class, () -> await(
        kit.log.source("by-size", 0, StartPosition.offset(0)).take(1)
            .runWith(Sink.seq(), kit.testKit.system())));
    assertInstanceOf(OffsetOutOfRangeException.class, below.getCause());
    assertTrue(below.getCause().getMessage().contains("out of range"));

    List<ConsumerRecord> kept = await(kit.log.source("by-size", 0, StartPosition.earliest())
        .take(200 - after.logStartOffset()).runWith(Sink.seq(), kit.testKit.system()));
    assertEquals(after.logStartOffset(), kept.get(0).offset());
    assertEquals("v199", kept.get(kept.size() - 1).valueString());
  }

  @Test
  void retentionMsRemovesOldBatchesAndOffsetsContinueAfterEverythingIsGone() throws Exception {
    await(kit.log.createTopic("by-time", 1, Map.of("retention.ms", "60000")));
    long t0 = now.millis();
    produce("by-time", 50, "old");
    now.set(t0 + 30_000);
    produce("by-time", 50, "newer");
    now.set(t0 + 70_000);
    PartitionOffsets first = clean("by-time");
    assertEquals(50, first.logStartOffset(), "records older than 60 s are gone");

    now.set(t0 + 200_000);
    PartitionOffsets second = clean("by-time");
    assertEquals(100, second.logStartOffset());
    assertEquals(100, second.logEndOffset());
    assertEquals(0, second.sizeBytes());

    produce("by-time", 1, "after");
    List<ConsumerRecord> rest = await(kit.log.source("by-time", 0, StartPosition.earliest())
        .take(1).runWith(Sink.seq(), kit.testKit.system()));
    assertEquals(100, rest.get(0).offset(), "offsets never go back");
    assertEquals("after0", rest.get(0).valueString());
  }
}
