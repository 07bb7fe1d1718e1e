package io.weir.log;

import static io.weir.log.LogTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.weir.log.api.OutOfOrderSequenceException;
import io.weir.log.api.ProducerFencedException;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.internal.LogSettings;
import io.weir.log.internal.PartitionEntity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idempotent appends: a retried batch is answered with its first offsets and written once, a
 * sequence gap is refused, an older epoch is fenced, and all of it survives a restart of the
 * partition, which rebuilds its producers' state from the journal.
 */
class IdempotenceTest {
  private static LogTestKit kit;

  @BeforeAll
  static void start() {
    kit = new LogTestKit(Clock.systemUTC(), "");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static List<PartitionEntity.AppendRecord> records(int n) {
    List<PartitionEntity.AppendRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new PartitionEntity.AppendRecord(null, null,
          ("r" + i).getBytes(StandardCharsets.UTF_8), List.of()));
    }
    return out;
  }

  private static StatusReply<PartitionEntity.Appended> append(
      ActorRef<PartitionEntity.Command> partition, long producerId, int epoch, int sequence,
      int count) {
    TestProbe<StatusReply<PartitionEntity.Appended>> probe = kit.testKit.createTestProbe();
    partition.tell(new PartitionEntity.Append(records(count), producerId, (short) epoch,
        sequence, false, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  @Test
  void retriesAreWrittenOnceGapsAreRefusedAndOldEpochsFencedAcrossRestarts() throws Exception {
    await(kit.log.createTopic("idem", 1, Map.of()));
    LogSettings settings = LogSettings.fromConfig(ConfigFactory.load().withFallback(
        kit.testKit.system().settings().config()));
    // The partition is spawned directly (not through sharding) so the test can restart it.
    ActorRef<PartitionEntity.Command> first = kit.testKit.spawn(
        PartitionEntity.create("idem/0", settings, Clock.systemUTC()));

    assertEquals(0, append(first, 777, 0, 0, 3).getValue().baseOffset());
    assertEquals(0, append(first, 777, 0, 0, 3).getValue().baseOffset(), "a retry is deduplicated");
    assertEquals(3, append(first, 777, 0, 3, 2).getValue().baseOffset());

    StatusReply<PartitionEntity.Appended> gap = append(first, 777, 0, 9, 1);
    assertInstanceOf(OutOfOrderSequenceException.class, gap.getError());
    assertTrue(gap.getError().getMessage().contains("next expected is 5"), gap.getError().getMessage());

    kit.testKit.stop(first);
    ActorRef<PartitionEntity.Command> second = kit.testKit.spawn(
        PartitionEntity.create("idem/0", settings, Clock.systemUTC()));
    assertEquals(3, append(second, 777, 0, 3, 2).getValue().baseOffset(),
        "the retry is still recognised after a restart");
    assertEquals(5, append(second, 777, 1, 0, 1).getValue().baseOffset(), "a new epoch starts at 0");
    StatusReply<PartitionEntity.Appended> zombie = append(second, 777, 0, 5, 1);
    assertInstanceOf(ProducerFencedException.class, zombie.getError());
    assertTrue(zombie.getError().getMessage().contains("fenced"));

    TestProbe<StatusReply<io.weir.log.api.PartitionOffsets>> offsets =
        kit.testKit.createTestProbe();
    second.tell(new PartitionEntity.GetOffsets(offsets.getRef()));
    assertEquals(6, offsets.receiveMessage().getValue().logEndOffset(), "nothing written twice");
    kit.testKit.stop(second);
  }

  @Test
  void producersGetDistinctIdsAndWriteIdempotentlyByDefault() throws Exception {
    await(kit.log.createTopic("idem-producers", 2, Map.of()));
    try (var a = kit.log.newProducer(ProducerSettings.defaults());
         var b = kit.log.newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < 500; i++) {
        a.send(ProducerRecord.of("idem-producers", "k" + i, "a" + i));
        b.send(ProducerRecord.of("idem-producers", "k" + i, "b" + i));
      }
    }
    long total = await(kit.log.offsets("idem-producers")).stream()
        .mapToLong(o -> o.logEndOffset()).sum();
    assertEquals(1000, total);
  }

  /**
   * Acknowledgements that come too late: with a request timeout of a few milliseconds, many
   * batches are written but their acknowledgement misses the timeout, and the producer sends
   * them again. Each retry must still be recognised, so no batch may be sent more than
   * {@code maxInFlight} batches past the oldest unacknowledged one: with a plain count of
   * batches in flight, later batches were acknowledged and more sent while the oldest waited,
   * the partition forgot it, and its retry was refused as a sequence gap.
   */
  @Test
  void lateAcknowledgementsAreRetriedAndWrittenOnce() throws Exception {
    await(kit.log.createTopic("idem-late", 1, Map.of()));
    try (var warmUp = kit.log.newProducer(ProducerSettings.defaults())) {
      await(warmUp.send(ProducerRecord.of("idem-late", "k", "warm-up"))); // starts the partition
    }
    ProducerSettings hurried = new ProducerSettings(Duration.ZERO, 64, 1L << 20, 5, 65_536,
        Duration.ofMillis(3), true, Duration.ofMinutes(2));
    int count = 10_000;
    List<java.util.concurrent.CompletableFuture<io.weir.log.api.RecordMetadata>> sent =
        new ArrayList<>();
    List<java.util.concurrent.CompletableFuture<io.weir.log.api.RecordMetadata>> large =
        new ArrayList<>();
    // Another producer's large batches hold the partition up now and then, so some of the
    // hurried producer's batches wait past its timeout while others are acknowledged in time.
    byte[] big = new byte[256 * 1024];
    try (var producer = kit.log.newProducer(hurried);
         var heavy = kit.log.newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < count; i++) {
        sent.add(producer.send(ProducerRecord.of("idem-late", "k", "v" + i))
            .toCompletableFuture());
        if (i % 37 == 0) {
          large.add(heavy.send(ProducerRecord.of("idem-late", null, big))
              .toCompletableFuture());
        }
      }
      for (int i = 0; i < count; i++) {
        sent.get(i).get(2, java.util.concurrent.TimeUnit.MINUTES);
      }
      for (var f : large) {
        f.get(2, java.util.concurrent.TimeUnit.MINUTES);
      }
    }
    long previous = -1;
    for (var f : sent) {
      assertTrue(f.get().offset() > previous, "in order");
      previous = f.get().offset();
    }
    assertEquals(1 + count + large.size(),
        await(kit.log.offsets("idem-late")).get(0).logEndOffset(),
        "nothing written twice");
  }

  @Test
  void anIdempotentProducerKeepsAtMostFiveBatchesInFlight() {
    IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> ProducerSettings.defaults().withMaxInFlight(6));
    assertTrue(refused.getMessage().contains("at most 5"), refused.getMessage());
  }
}
