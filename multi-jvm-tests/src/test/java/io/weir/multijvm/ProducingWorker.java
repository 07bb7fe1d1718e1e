package io.weir.multijvm;

import io.weir.log.api.Log;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.node.WeirNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * A worker that produces forever to a new topic and prints {@code ACK partition offset value}
 * for every acknowledged record, so a test can kill it mid-stream and check what it was promised.
 */
public final class ProducingWorker {
  private ProducingWorker() {}

  /** Arguments: data directory, topic, partitions. */
  public static void main(String[] args) throws Exception {
    WeirNode node = WeirNode.start(Path.of(args[0]));
    Log log = node.weir().log();
    log.createTopic(args[1], Integer.parseInt(args[2]), Map.of()).toCompletableFuture().get();
    System.out.println("READY");
    LogProducer producer = log.newProducer(ProducerSettings.defaults().withBatchBytes(8192));
    for (long i = 0; ; i++) {
      String value = "value-" + i;
      producer.send(ProducerRecord.of(args[1], "key-" + (i % 97), value))
          .thenAccept(m -> {
            synchronized (System.out) {
              System.out.println("ACK " + m.partition() + " " + m.offset() + " " + value);
            }
          });
    }
  }
}
