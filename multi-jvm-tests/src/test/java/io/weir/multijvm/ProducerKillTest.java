package io.weir.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producing JVM killed with SIGKILL loses no acknowledged record: after the kill, a new node on
 * the same data directory holds every record the dead producer was told was durable, at the
 * offset it was told, with dense offsets.
 */
class ProducerKillTest {
  @TempDir Path dir;

  @Test
  void noAcknowledgedRecordIsLostWhenTheProducingJvmIsKilled() throws Exception {
    Path data = dir.resolve("data");
    Map<String, String> acknowledged = new HashMap<>();
    try (WorkerJvm worker = WorkerJvm.start(ProducingWorker.class,
        List.of(data.toString(), "crash", "3"), dir)) {
      worker.awaitLine("READY"::equals, Duration.ofSeconds(60));
      // Acknowledgements arrive per partition batch, in any order across partitions: wait for
      // a count of them, not for one record's.
      worker.awaitLines(line -> line.startsWith("ACK "), 20_000, Duration.ofSeconds(120));
      worker.kill();
      for (String line : worker.stdout()) {
        if (line.startsWith("ACK ")) {
          String[] f = line.split(" ");
          acknowledged.put(f[1] + ":" + f[2], f[3]);
        }
      }
    }
    assertTrue(acknowledged.size() >= 20_000, "acknowledged " + acknowledged.size());

    try (WeirNode node = WeirNode.start(data)) {
      Map<String, String> stored = new HashMap<>();
      for (PartitionOffsets o : node.weir().log().offsets("crash").toCompletableFuture()
          .get(30, TimeUnit.SECONDS)) {
        List<ConsumerRecord> records = node.weir().log()
            .source("crash", o.partition(), StartPosition.earliest())
            .take(o.logEndOffset())
            .runWith(Sink.seq(), node.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
        for (int i = 0; i < records.size(); i++) {
          assertEquals(i, records.get(i).offset(), "dense offsets in partition " + o.partition());
          stored.put(o.partition() + ":" + records.get(i).offset(), records.get(i).valueString());
        }
      }
      long lost = acknowledged.entrySet().stream()
          .filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
      assertEquals(0, lost, "acknowledged records missing or changed after the kill");
    }
  }
}
