package io.weir.log;

import static io.weir.log.LogTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.api.WeirException;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.ProducerFencedException;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.log.api.TransactionalProducer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transactions: all or nothing across partitions, read_committed, fencing and timeouts. */
class TransactionTest {
  private static LogTestKit kit;

  @BeforeAll
  static void start() {
    kit = new LogTestKit(Clock.systemUTC(), "");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** What a consumer of {@code topic} sees within {@code wait}. */
  private static List<String> visible(String topic, IsolationLevel isolation, Duration wait)
      throws Exception {
    return await(kit.log.source(topic, StartPosition.earliest(), isolation)
        .takeWithin(wait).map(ConsumerRecord::valueString)
        .runWith(Sink.seq(), kit.testKit.system()));
  }

  private static TransactionalProducer producer(String id, Duration timeout) {
    return kit.log.newTransactionalProducer(id, timeout, ProducerSettings.defaults());
  }

  @Test
  void aCommittedTransactionAppearsEverywhereAtOnceAndAnAbortedOneNever() throws Exception {
    await(kit.log.createTopic("tx-a", 2, Map.of()));
    await(kit.log.createTopic("tx-b", 1, Map.of()));
    try (TransactionalProducer p = producer("shop", Duration.ofMinutes(1))) {
      p.beginTransaction();
      for (int i = 0; i < 10; i++) {
        p.send(ProducerRecord.of("tx-a", "k" + i, "a" + i));
        p.send(ProducerRecord.of("tx-b", "k" + i, "b" + i));
      }
      await(p.flush());
      assertEquals(0, visible("tx-a", IsolationLevel.READ_COMMITTED, Duration.ofMillis(500)).size(),
          "nothing is visible to read_committed before the commit");
      assertEquals(10, visible("tx-a", IsolationLevel.READ_UNCOMMITTED, Duration.ofMillis(500))
          .size(), "read_uncommitted sees the open transaction");
      p.commitTransaction();
      assertEquals(10, visible("tx-a", IsolationLevel.READ_COMMITTED, Duration.ofSeconds(1)).size());
      assertEquals(10, visible("tx-b", IsolationLevel.READ_COMMITTED, Duration.ofSeconds(1)).size());

      p.beginTransaction();
      p.send(ProducerRecord.of("tx-b", "k", "aborted"));
      p.abortTransaction();
      p.beginTransaction();
      p.send(ProducerRecord.of("tx-b", "k", "after-abort"));
      p.commitTransaction();
    }
    List<String> committed = visible("tx-b", IsolationLevel.READ_COMMITTED, Duration.ofSeconds(1));
    assertEquals(11, committed.size(), committed.toString());
    assertTrue(committed.contains("after-abort") && !committed.contains("aborted"));
    List<String> all = visible("tx-b", IsolationLevel.READ_UNCOMMITTED, Duration.ofSeconds(1));
    assertEquals(12, all.size(), "read_uncommitted also sees the aborted record, never markers");
  }

  @Test
  void aNewInstanceFencesTheOldOneAndAbortsWhatItLeftOpen() throws Exception {
    await(kit.log.createTopic("tx-fence", 1, Map.of()));
    TransactionalProducer zombie = producer("fenced-id", Duration.ofMinutes(1));
    zombie.beginTransaction();
    await(zombie.send(ProducerRecord.of("tx-fence", "k", "zombie-1")));

    try (TransactionalProducer successor = producer("fenced-id", Duration.ofMinutes(1))) {
      ExecutionException write = assertThrows(ExecutionException.class,
          () -> await(zombie.send(ProducerRecord.of("tx-fence", "k", "zombie-2"))));
      assertInstanceOf(ProducerFencedException.class, write.getCause());
      WeirException commit = assertThrows(WeirException.class, zombie::commitTransaction);
      assertTrue(commit.getMessage().contains("fenced") || commit.getCause() != null,
          commit.getMessage());

      successor.beginTransaction();
      successor.send(ProducerRecord.of("tx-fence", "k", "successor"));
      successor.commitTransaction();
    }
    assertEquals(List.of("successor"),
        visible("tx-fence", IsolationLevel.READ_COMMITTED, Duration.ofSeconds(1)));
  }

  @Test
  void aTransactionThatOutlivesItsTimeoutIsAborted() throws Exception {
    await(kit.log.createTopic("tx-timeout", 1, Map.of()));
    TransactionalProducer slow = producer("slow-id", Duration.ofSeconds(1));
    slow.beginTransaction();
    await(slow.send(ProducerRecord.of("tx-timeout", "k", "too-late")));
    Thread.sleep(3_000);
    assertThrows(WeirException.class, slow::commitTransaction);
    try (TransactionalProducer next = producer("other-id", Duration.ofMinutes(1))) {
      next.beginTransaction();
      next.send(ProducerRecord.of("tx-timeout", "k", "on-time"));
      next.commitTransaction();
    }
    assertEquals(List.of("on-time"),
        visible("tx-timeout", IsolationLevel.READ_COMMITTED, Duration.ofSeconds(1)));
  }
}
