package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Log to log, exactly once: a job reads a topic, counts per key, and writes to another topic
 * through log transactions committed with its checkpoints. With failures injected, a
 * read-committed consumer of the output sees every key's counts exactly 1..n in order.
 */
class LogExactlyOnceTest {
  private static final int RECORDS = 2000;
  private static final int KEYS = 20;
  private static final Set<Long> FAIL_AT = Set.of(400L, 1300L);
  private static final AtomicLong PROCESSED = new AtomicLong();
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.batch-size = 64");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** Log "eos-in" → count per key → log "eos-out", exactly once. */
  public static final class CountToLog implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(50)));
      job.fromLog("eos-in", StartPosition.earliest())
          .map(r -> {
            long n = PROCESSED.incrementAndGet();
            if (n % 20 == 0) {
              Thread.sleep(1);
            }
            if (FAIL_AT.contains(n)) {
              throw new IllegalStateException("injected failure at " + n);
            }
            return r.keyString();
          }).name("Inject")
          .keyBy(k -> k)
          .process(new CheckpointRecoveryTest.Count())
          .toLog("eos-out", (line, topic) -> ProducerRecord.of(topic, line.split(":")[0], line),
              "eos-test");
    }
  }

  /** Like CountToLog, routing even and odd keys to two topics in the same transactions. */
  public static final class CountToTwoTopics implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(5, Duration.ofMillis(50)));
      job.fromLog("eos-in", StartPosition.earliest())
          .map(r -> {
            long n = ROUTED.incrementAndGet();
            if (n % 20 == 0) {
              Thread.sleep(1);
            }
            if (n == 900) {
              throw new IllegalStateException("injected failure at " + n);
            }
            return r.keyString();
          })
          .keyBy(k -> k)
          .process(new CheckpointRecoveryTest.Count())
          .toLog(line -> {
            int key = Integer.parseInt(line.substring(1, line.indexOf(':')));
            return ProducerRecord.of(key % 2 == 0 ? "eos-even" : "eos-odd", "k" + key, line);
          }, "eos-routed");
    }
  }

  private static final AtomicLong ROUTED = new AtomicLong();

  @Test
  void routedExactlyOnceOutputEqualsTheModel() throws Exception {
    ensureInput();
    StreamTestKit.await(kit.weir().log().createTopic("eos-even", 2, Map.of()));
    StreamTestKit.await(kit.weir().log().createTopic("eos-odd", 2, Map.of()));
    JobStatus job = StreamTestKit.await(kit.jobs().submit(CountToTwoTopics.class, List.of()));
    List<ConsumerRecord> out = java.util.Collections.synchronizedList(new ArrayList<>());
    var reading = kit.weir().log()
        .source("eos-even", StartPosition.earliest(), IsolationLevel.READ_COMMITTED)
        .merge(kit.weir().log().source("eos-odd", StartPosition.earliest(),
            IsolationLevel.READ_COMMITTED))
        .viaMat(org.apache.pekko.stream.KillSwitches.single(),
            org.apache.pekko.stream.javadsl.Keep.right())
        .to(Sink.foreach(out::add))
        .run(kit.weir().system());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (out.size() < RECORDS && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(1500);
    reading.shutdown();
    JobStatus status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    assertTrue(status.restarts() >= 1, status.summary());
    Map<String, List<Long>> perKey = new HashMap<>();
    for (ConsumerRecord r : out) {
      String[] parts = r.valueString().split(":");
      int key = Integer.parseInt(parts[0].substring(1));
      assertEquals(key % 2 == 0 ? "eos-even" : "eos-odd", r.topic());
      perKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
    }
    for (int k = 0; k < KEYS; k++) {
      List<Long> expected = new ArrayList<>();
      for (long c = 1; c <= RECORDS / KEYS; c++) {
        expected.add(c);
      }
      assertEquals(expected, perKey.get("k" + k), "key k" + k + "; " + status.summary());
    }
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }

  private static boolean produced;

  /** Creates and fills "eos-in" once for both tests. */
  private static synchronized void ensureInput() throws Exception {
    if (produced) {
      return;
    }
    produced = true;
    StreamTestKit.await(kit.weir().log().createTopic("eos-in", 4, Map.of()));
    StreamTestKit.await(kit.weir().log().createTopic("eos-out", 3, Map.of()));
    try (LogProducer producer = kit.weir().log().newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < RECORDS; i++) {
        producer.send(ProducerRecord.of("eos-in", "k" + (i % KEYS), "v" + i));
      }
      StreamTestKit.await(producer.flush());
    }
  }

  @Test
  void readCommittedOutputEqualsTheModelDespiteFailures() throws Exception {
    ensureInput();
    JobStatus job = StreamTestKit.await(kit.jobs().submit(CountToLog.class, List.of()));
    List<ConsumerRecord> out = java.util.Collections.synchronizedList(new ArrayList<>());
    var reading = kit.weir().log()
        .source("eos-out", StartPosition.earliest(), IsolationLevel.READ_COMMITTED)
        .viaMat(org.apache.pekko.stream.KillSwitches.single(),
            org.apache.pekko.stream.javadsl.Keep.right())
        .to(Sink.foreach(out::add))
        .run(kit.weir().system());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (out.size() < RECORDS && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(1500); // a duplicate would show up now
    reading.shutdown();
    JobStatus status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    assertTrue(status.restarts() >= 1, status.summary());
    Map<String, List<Long>> perKey = new HashMap<>();
    for (ConsumerRecord r : out) {
      String[] parts = r.valueString().split(":");
      perKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
    }
    for (int k = 0; k < KEYS; k++) {
      List<Long> expected = new ArrayList<>();
      for (long c = 1; c <= RECORDS / KEYS; c++) {
        expected.add(c);
      }
      assertEquals(expected, perKey.get("k" + k), "key k" + k + "; " + status.summary());
    }
    assertEquals(RECORDS, out.size());
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }
}
