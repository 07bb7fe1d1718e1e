package io.weir.log;

import static io.weir.log.LogTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.weir.log.api.CommittableRecord;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.Control;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.TopicPartition;
import io.weir.log.api.TransactionalProducer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offsets added to an open transaction hold their partitions: a member newly assigned such a
 * partition waits until the transaction ends and then starts from the offset it committed,
 * instead of reading again what the transaction has already processed.
 */
class TransactionalOffsetsTest {
  private static LogTestKit kit;

  @BeforeAll
  static void start() {
    kit = new LogTestKit(Clock.systemUTC(), "");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  @Test
  void aNewOwnerWaitsForTheTransactionHoldingItsPartitionsOffsets() throws Exception {
    await(kit.log.createTopic("held-in", 1, Map.of()));
    try (LogProducer producer = kit.log.newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < 10; i++) {
        producer.send(ProducerRecord.of("held-in", "k", "v" + i));
      }
    }
    ConsumerGroupSettings group = ConsumerGroupSettings.of("held-group", "held-in")
        .withSessionTimeout(Duration.ofSeconds(4)).withHeartbeatInterval(Duration.ofMillis(200));

    // The first owner processes offsets 0..9 inside a transaction, then leaves.
    List<CommittableRecord> first = await(kit.log.committableSource(group).take(10)
        .runWith(Sink.seq(), kit.testKit.system()));
    assertEquals(9, first.get(9).record().offset());
    TransactionalProducer transaction = kit.log.newTransactionalProducer("held-tx",
        Duration.ofMinutes(1), ProducerSettings.defaults());
    transaction.beginTransaction();
    transaction.sendOffsetsToTransaction("held-group",
        Map.of(new TopicPartition("held-in", 0), 10L));

    // The next owner must not start while the transaction holds the partition's offset.
    Pair<Control, CompletionStage<List<CommittableRecord>>> next = kit.log.committableSource(group)
        .take(1).toMat(Sink.seq(), Keep.both()).run(kit.testKit.system());
    await(kit.log.newProducer(ProducerSettings.defaults())
        .send(ProducerRecord.of("held-in", "k", "v10")));
    Thread.sleep(1_500);
    CompletableFuture<List<CommittableRecord>> received = next.second().toCompletableFuture();
    assertFalse(received.isDone(), "the new owner read while the transaction was open");

    transaction.commitTransaction();
    List<CommittableRecord> after = await(received);
    assertEquals(10, after.get(0).record().offset(),
        "the new owner starts where the committed transaction left the group");
    transaction.close();
  }

  @Test
  void offsetsOfAMemberThatLeftAreRefusedAndTheTransactionCannotCommit() throws Exception {
    await(kit.log.createTopic("zombie-in", 1, Map.of()));
    try (LogProducer producer = kit.log.newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < 5; i++) {
        producer.send(ProducerRecord.of("zombie-in", "k", "v" + i));
      }
    }
    ConsumerGroupSettings group = ConsumerGroupSettings.of("zombie-group", "zombie-in")
        .withSessionTimeout(Duration.ofSeconds(4)).withHeartbeatInterval(Duration.ofMillis(200));
    try (TransactionalProducer transaction = kit.log.newTransactionalProducer("zombie-tx",
        Duration.ofMinutes(1), ProducerSettings.defaults())) {
      // A live member's offsets join the transaction and commit with it.
      Pair<Control, CompletionStage<List<CommittableRecord>>> live = kit.log
          .committableSource(group).take(3).toMat(Sink.seq(), Keep.both())
          .run(kit.testKit.system());
      List<CommittableRecord> read = await(live.second());
      transaction.beginTransaction();
      transaction.sendOffsetsToTransaction(read.stream()
          .map(CommittableRecord::committableOffset).toList());
      transaction.commitTransaction();
      assertEquals(3, await(kit.log.describeGroup("zombie-group")).partitions().get(0)
          .committedOffset());

      // The member has left (its stream completed): its offsets are a zombie's.
      await(live.first().whenStopped());
      transaction.beginTransaction();
      io.weir.api.WeirException refused = org.junit.jupiter.api.Assertions.assertThrows(
          io.weir.api.WeirException.class, () -> transaction.sendOffsetsToTransaction(
              List.of(read.get(2).committableOffset())));
      org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("no member"),
          refused.getMessage());
      org.junit.jupiter.api.Assertions.assertThrows(io.weir.api.WeirException.class,
          transaction::commitTransaction);
      transaction.abortTransaction();
    }
  }
}
