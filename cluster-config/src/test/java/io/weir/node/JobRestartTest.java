package io.weir.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.Log;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.node.testing.TestJobs;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running job survives a node restart: on an embedded node with its real H2 journal, a job
 * relays a topic to another; the node stops; a new node on the same data directory deploys the
 * job again as attempt 2, and records produced after the restart are relayed.
 */
class JobRestartTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path temp;

  @Test
  void aRunningJobIsDeployedAgainWhenTheNodeRestarts() throws Exception {
    Path dataDir = temp.resolve("data");
    String jobId;
    try (WeirNode node = WeirNode.start(dataDir)) {
      Log log = node.weir().log();
      await(log.createTopic("in", 2, Map.of()));
      await(log.createTopic("out", 1, Map.of()));
      jobId = await(node.weir().jobs().submit(TestJobs.Relay.class, List.of("in", "out")))
          .jobId();
      awaitRunning(node.weir().jobs(), jobId, 1);
      relaysAll(node, "before");
    }

    try (WeirNode node = WeirNode.start(dataDir)) {
      // The node resumes jobs asynchronously once started: until then the journal's
      // status (RUNNING, attempt 1) shows.
      awaitRunning(node.weir().jobs(), jobId, 2);
      relaysAll(node, "after");
      assertEquals(List.of(jobId), await(node.weir().jobs().list()).stream()
          .map(JobStatus::jobId).toList());
      await(node.weir().jobs().cancel(jobId));
      assertEquals(JobState.CANCELED,
          await(node.weir().jobs().awaitTermination(jobId, TIMEOUT)).state());
    }

    // Canceled is terminal: a third start does not deploy it.
    try (WeirNode node = WeirNode.start(dataDir)) {
      JobStatus status = await(node.weir().jobs().status(jobId));
      assertEquals(JobState.CANCELED, status.state(), status.summary());
      assertEquals(2, status.attempt());
    }
  }

  /**
   * Proves the job relays: since its source starts at the latest offset when it is deployed,
   * first produces probes until one comes out (the source has its position), then produces ten
   * records named {@code prefix-i} and waits until every one came out.
   */
  private static void relaysAll(WeirNode node, String prefix) throws Exception {
    Log log = node.weir().log();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    UniqueKillSwitch tail = log.source("out", StartPosition.earliest())
        .map(ConsumerRecord::valueString)
        .viaMat(KillSwitches.single(), Keep.right())
        .to(Sink.foreach(seen::add))
        .run(node.system());
    try (LogProducer producer = log.newProducer(ProducerSettings.defaults())) {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      for (int probe = 0; seen.stream().noneMatch(v -> v.startsWith("relayed:" + prefix
          + "-probe")); probe++) {
        assertTrue(System.nanoTime() < deadline, "no probe of '" + prefix + "' was relayed");
        await(producer.send(ProducerRecord.of("in", "p", prefix + "-probe-" + probe)));
        Thread.sleep(200);
      }
      for (int i = 0; i < 10; i++) {
        await(producer.send(ProducerRecord.of("in", "k" + i, prefix + "-" + i)));
      }
      Set<String> expected = IntStream.range(0, 10).mapToObj(i -> "relayed:" + prefix + "-" + i)
          .collect(Collectors.toSet());
      while (!seen.containsAll(expected)) {
        assertTrue(System.nanoTime() < deadline, "not relayed: "
            + expected.stream().filter(e -> !seen.contains(e)).sorted().toList());
        Thread.sleep(100);
      }
    } finally {
      tail.shutdown();
    }
  }

  /** Waits until the job runs its attempt {@code attempt}; fails if it gets past it or ends. */
  private static void awaitRunning(Jobs jobs, String jobId, int attempt) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      JobStatus status = await(jobs.status(jobId));
      if (status.state() == JobState.RUNNING && status.attempt() == attempt) {
        return;
      }
      assertTrue(!status.state().isTerminal() && status.attempt() <= attempt
          && System.nanoTime() < deadline, "expected RUNNING, attempt " + attempt + ": "
          + status.summary() + ", attempt " + status.attempt());
      Thread.sleep(100);
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
