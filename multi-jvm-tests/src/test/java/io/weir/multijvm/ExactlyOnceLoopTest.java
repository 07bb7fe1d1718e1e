package io.weir.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.LogProducer;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consume-transform-produce loop (topic to topic, offsets committed in the output's
 * transaction) killed with SIGKILL again and again at random points: the committed output
 * equals the model — every input transformed once, 0 lost, 0 duplicated.
 */
class ExactlyOnceLoopTest {
  private static final int RECORDS = 3_000;
  private static final int KILLS = 3;

  @TempDir Path dir;

  @Test
  void repeatedKillsLoseAndDuplicateNothing() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("ExactlyOnceLoopTest seed " + seed);
    Random random = new Random(seed);
    Path data = dir.resolve("data");
    Map<Integer, Long> ends = new HashMap<>();
    try (WeirNode node = WeirNode.start(data)) {
      var log = node.weir().log();
      log.createTopic("input", 3, Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      log.createTopic("output", 3, Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      try (LogProducer producer = log.newProducer(ProducerSettings.defaults())) {
        for (int i = 0; i < RECORDS; i++) {
          producer.send(ProducerRecord.of("input", "k" + i, "value-" + i));
        }
      }
      for (PartitionOffsets o : log.offsets("input").toCompletableFuture().get()) {
        ends.put(o.partition(), o.logEndOffset());
      }
    }

    Map<Integer, Long> committed = new HashMap<>();
    for (int run = 0; run <= KILLS; run++) {
      try (WorkerJvm worker = WorkerJvm.start(TransformWorker.class, List.of(data.toString()),
          dir)) {
        boolean last = run == KILLS;
        int commits = last ? Integer.MAX_VALUE : 2 + random.nextInt(15);
        int seen = 0;
        while (!last && seen < commits || last && !committed.equals(ends)) {
          List<String> lines = worker.awaitLines(l -> l.startsWith("COMMITTED"), ++seen,
              Duration.ofSeconds(120));
          String line = lines.get(lines.size() - 1);
          for (String part : line.substring("COMMITTED".length()).trim().split(" ")) {
            String[] po = part.split(":");
            committed.merge(Integer.parseInt(po[0]), Long.parseLong(po[1]), Math::max);
          }
        }
        worker.kill();
      }
    }

    try (WeirNode node = WeirNode.start(data)) {
      List<ConsumerRecord> output = node.weir().log()
          .source("output", StartPosition.earliest(), IsolationLevel.READ_COMMITTED)
          .takeWithin(Duration.ofSeconds(3))
          .runWith(Sink.seq(), node.system()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      Map<String, Integer> counts = new HashMap<>();
      output.forEach(r -> counts.merge(r.valueString(), 1, Integer::sum));
      long lost = 0;
      for (int i = 0; i < RECORDS; i++) {
        if (!counts.containsKey(TransformWorker.transform("value-" + i))) {
          lost++;
        }
      }
      long duplicated = counts.values().stream().filter(c -> c > 1).count();
      assertEquals(0, lost, "lost records (seed " + seed + ")");
      assertEquals(0, duplicated, "duplicated records (seed " + seed + ")");
      assertEquals(RECORDS, output.size());
      assertTrue(counts.keySet().stream().allMatch(v -> v.endsWith("-done")));
    }
  }
}
