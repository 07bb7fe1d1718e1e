package io.weir.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.node.WeirNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpointed job (log topic → keyed count → two-phase-commit sink) whose node is killed with
 * SIGKILL at random points and started again on the same data directory: the job resumes from
 * its latest checkpoint each time, and the committed output equals the model — every key's
 * counts exactly 1..n in order, nothing lost or duplicated.
 */
class CheckpointKillTest {
  private static final int RECORDS = 2_000;
  private static final int KEYS = 10;
  private static final int KILLS = 2;

  @TempDir Path dir;

  @Test
  void killedNodesResumeFromTheLatestCheckpointWithoutLossOrDuplicates() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("CheckpointKillTest seed " + seed);
    Random random = new Random(seed);
    Path data = dir.resolve("data");
    Path out = dir.resolve("out");
    try (WeirNode node = WeirNode.start(data)) {
      var log = node.weir().log();
      log.createTopic("counts-in", 4, Map.of()).toCompletableFuture().get(30, TimeUnit.SECONDS);
      try (LogProducer producer = log.newProducer(ProducerSettings.defaults())) {
        for (int i = 0; i < RECORDS; i++) {
          producer.send(ProducerRecord.of("counts-in", "k" + (i % KEYS), "v" + i));
        }
      }
    }
    for (int run = 0; run <= KILLS; run++) {
      List<String> args = new ArrayList<>(List.of(data.toString(), "counts-in", out.toString()));
      if (run == 0) {
        args.add("submit");
      }
      try (WorkerJvm worker = WorkerJvm.start(CheckpointedJobWorker.class, args, dir)) {
        String running = "STATUS RUNNING " + (run + 1);
        worker.awaitLine(l -> l.startsWith(running), Duration.ofSeconds(60));
        if (run < KILLS) {
          // Kill once a random share of the output is committed: mid-stream, between checkpoints.
          int threshold = FileCommitSink.committed(out).size() + 100 + random.nextInt(500);
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (FileCommitSink.committed(out).size() < threshold
              && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          Thread.sleep(random.nextInt(100));
          worker.kill();
          System.out.println("killed run " + run + " with " + FileCommitSink.committed(out).size()
              + " of " + RECORDS + " counts committed");
        } else {
          long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
          while (FileCommitSink.committed(out).size() < RECORDS
              && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
          Thread.sleep(500);
        }
      }
    }
    Map<String, List<Long>> perKey = new HashMap<>();
    for (String line : FileCommitSink.committed(out)) {
      String[] parts = line.split(":");
      perKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
    }
    for (int k = 0; k < KEYS; k++) {
      List<Long> expected = new ArrayList<>();
      for (long c = 1; c <= RECORDS / KEYS; c++) {
        expected.add(c);
      }
      assertEquals(expected, perKey.get("k" + k), "key k" + k + " (seed " + seed + ")");
    }
  }
}
