package io.weir.multijvm;

import io.weir.log.api.Log;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.TransactionalProducer;
import io.weir.node.WeirNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A worker that opens a transaction, writes records durably into it, prints {@code SENT n},
 * and then waits to be killed without ever committing.
 */
public final class TransactionalWorker {
  private TransactionalWorker() {}

  /** Arguments: data directory, topic, transactional id, records. */
  public static void main(String[] args) throws Exception {
    WeirNode node = WeirNode.start(Path.of(args[0]));
    Log log = node.weir().log();
    log.createTopic(args[1], 2, Map.of()).toCompletableFuture().get();
    TransactionalProducer producer = log.newTransactionalProducer(args[2], Duration.ofHours(1),
        ProducerSettings.defaults());
    producer.beginTransaction();
    int n = Integer.parseInt(args[3]);
    for (int i = 0; i < n; i++) {
      producer.send(ProducerRecord.of(args[1], "k" + i, "uncommitted-" + i));
    }
    producer.flush().toCompletableFuture().get();
    System.out.println("SENT " + n);
    Thread.sleep(Long.MAX_VALUE);
  }
}
