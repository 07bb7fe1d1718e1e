package io.weir.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.log.api.TransactionalProducer;
import io.weir.node.WeirNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer killed with SIGKILL in the middle of a transaction leaves nothing visible to
 * read_committed consumers; when the application comes back under the same transactional id,
 * the open transaction is aborted and new work commits.
 */
class TransactionKillTest {
  @TempDir Path dir;

  private static List<String> read(WeirNode node, IsolationLevel isolation) throws Exception {
    return node.weir().log().source("payments", StartPosition.earliest(), isolation)
        .takeWithin(Duration.ofSeconds(2)).map(ConsumerRecord::valueString)
        .runWith(Sink.seq(), node.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aKilledTransactionIsNeverVisibleToReadCommitted() throws Exception {
    Path data = dir.resolve("data");
    try (WorkerJvm worker = WorkerJvm.start(TransactionalWorker.class,
        List.of(data.toString(), "payments", "payments-app", "500"), dir)) {
      worker.awaitLine("SENT 500"::equals, Duration.ofSeconds(120));
      worker.kill();
    }
    try (WeirNode node = WeirNode.start(data)) {
      assertEquals(500, read(node, IsolationLevel.READ_UNCOMMITTED).size(),
          "the records are durable in the log");
      assertEquals(List.of(), read(node, IsolationLevel.READ_COMMITTED),
          "read_committed sees nothing of the open transaction");

      try (TransactionalProducer restarted = node.weir().log().newTransactionalProducer(
          "payments-app", Duration.ofMinutes(1), ProducerSettings.defaults())) {
        restarted.beginTransaction();
        restarted.send(ProducerRecord.of("payments", "k", "committed-after-restart"));
        restarted.commitTransaction();
      }
      assertEquals(List.of("committed-after-restart"), read(node, IsolationLevel.READ_COMMITTED));
    }
  }
}
