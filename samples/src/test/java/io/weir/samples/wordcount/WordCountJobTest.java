package io.weir.samples.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.Log;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WordCountJob} on an embedded node: lines produced to a topic, counts read back from the
 * output topic until the final count of every word shows, then the job is canceled.
 */
class WordCountJobTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final List<String> LINES = List.of(
      "To be, or not to be: that is the question.",
      "Whether 'tis nobler in the mind to suffer",
      "the slings and arrows of outrageous fortune,",
      "or to take arms against a sea of troubles");

  @TempDir Path temp;

  @Test
  void countsEveryWordOfTheLinesAtParallelismTwo() throws Exception {
    Map<String, Long> expected = new TreeMap<>();
    for (String line : LINES) {
      for (String word : line.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
        if (!word.isEmpty()) {
          expected.merge(word, 1L, Long::sum);
        }
      }
    }
    assertEquals(4L, expected.get("to"));

    try (WeirNode node = WeirNode.start(temp.resolve("data"))) {
      Log log = node.weir().log();
      await(log.createTopic("lines", 2, Map.of()));
      await(log.createTopic("word-counts", 3, Map.of()));
      try (LogProducer producer = log.newProducer(ProducerSettings.defaults())) {
        for (int i = 0; i < LINES.size(); i++) {
          await(producer.send(ProducerRecord.of("lines", "line-" + i, LINES.get(i))));
        }
      }
      Jobs jobs = node.weir().jobs();
      String jobId = await(jobs.submit(WordCountJob.class, List.of("lines", "word-counts", "2")))
          .jobId();

      // Latest count per word, from the records' keys and values.
      Map<String, Long> counts = new ConcurrentHashMap<>();
      List<String> values = new CopyOnWriteArrayList<>();
      Map<String, String> badRecords = new ConcurrentHashMap<>();
      UniqueKillSwitch tail = log.source("word-counts", StartPosition.earliest())
          .viaMat(KillSwitches.single(), Keep.right())
          .to(Sink.foreach((ConsumerRecord r) -> {
            values.add(r.valueString());
            String[] parts = r.valueString().split(" ");
            if (parts.length != 2 || !parts[0].equals(r.keyString())) {
              badRecords.put(String.valueOf(r.keyString()), r.valueString());
            } else {
              counts.merge(parts[0], Long.parseLong(parts[1]), Math::max);
            }
          }))
          .run(node.system());
      try {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!counts.equals(expected)) {
          JobStatus status = await(jobs.status(jobId));
          assertTrue(!status.state().isTerminal(), status.summary());
          assertTrue(System.nanoTime() < deadline, "counts so far: " + new TreeMap<>(counts)
              + ", expected " + expected);
          Thread.sleep(100);
        }
        Thread.sleep(1000); // time for a duplicate, if any, to show
      } finally {
        tail.shutdown();
      }
      assertEquals(Map.of(), badRecords);
      // Exactly once each: every word's counts 1..n, in order, nothing duplicated.
      Map<String, List<Long>> perWord = new TreeMap<>();
      for (String v : values) {
        String[] parts = v.split(" ");
        perWord.computeIfAbsent(parts[0], w -> new ArrayList<>())
            .add(Long.parseLong(parts[1]));
      }
      expected.forEach((word, n) -> assertEquals(
          LongStream.rangeClosed(1, n).boxed().toList(), perWord.get(word),
          "the counts of '" + word + "'"));

      await(jobs.cancel(jobId));
      assertEquals(JobState.CANCELED, await(jobs.awaitTermination(jobId, TIMEOUT)).state());
    }
  }

  @Test
  void badArgumentsFailTheSubmitWithTheUsage() throws Exception {
    try (WeirNode node = WeirNode.start(temp.resolve("bad"))) {
      for (List<String> args : List.of(List.of("lines"), List.of("lines", "out", "many"))) {
        ExecutionException e = assertThrows(
            ExecutionException.class,
            () -> await(node.weir().jobs().submit(WordCountJob.class, args)));
        assertTrue(e.getCause() instanceof InvalidJobException, e.toString());
        assertTrue(e.getCause().getMessage().contains(
            args.size() == 1 ? "INPUT-TOPIC OUTPUT-TOPIC [PARALLELISM]" : "'many'"),
            e.getCause().getMessage());
      }
      assertEquals(List.of(), await(node.weir().jobs().list()));
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
