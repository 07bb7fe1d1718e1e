package io.weir.samples.demo;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.Log;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.log.api.UnknownTopicException;
import io.weir.node.WeirNode;
import io.weir.node.api.CommandLineExtension;
import io.weir.node.cli.NodeOptions;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weir demo}: the main end-to-end pipeline on the embedded default. Generated page views
 * go through a partitioned topic of the log, are read back from every partition and aggregated
 * per page, and the run is checked: every event consumed once, none lost or duplicated.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the main end-to-end pipeline on an embedded node and print its results.")
public final class DemoCommand implements Callable<Integer>, CommandLineExtension {
  static final String TOPIC = "demo-page-views";

  @Mixin NodeOptions node;
  @Spec CommandSpec spec;
  @Option(names = "--events", paramLabel = "N", defaultValue = "200000",
      description = "How many page views to generate (default: ${DEFAULT-VALUE}).") int events;
  @Option(names = "--partitions", paramLabel = "N", defaultValue = "4",
      description = "Partitions of the demo topic (default: ${DEFAULT-VALUE}).") int partitions;
  @Option(names = "--seed", paramLabel = "SEED", defaultValue = "42",
      description = "Seed of the event generator (default: ${DEFAULT-VALUE}).") long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Weir demo: page views through the partitioned log, aggregated per page.");
    long t0 = System.nanoTime();
    try (WeirNode n = node.start()) {
      out.printf("[1/4] embedded node %s up in %.1f s, data in %s%n", n.address(),
          seconds(t0), n.settings().dataDir());
      Log log = n.weir().log();
      recreateTopic(log);
      out.printf("[2/4] topic %s created with %d partitions%n", TOPIC, partitions);

      long t1 = System.nanoTime();
      AtomicLong acknowledged = new AtomicLong();
      PageViews generator = new PageViews(seed, System.currentTimeMillis());
      long quarter = Math.max(1, events / 4);
      Source.range(0, events - 1)
          .map(i -> {
            byte[] value = generator.next(i);
            String user = PageViews.user(new String(value, StandardCharsets.UTF_8));
            return ProducerRecord.of(TOPIC, user.getBytes(StandardCharsets.UTF_8), value);
          })
          .via(log.producerFlow(ProducerSettings.defaults()))
          .runWith(Sink.foreach(m -> {
            long done = acknowledged.incrementAndGet();
            if (done % quarter == 0) {
              out.printf("      produced %,d of %,d%n", done, events);
              out.flush();
            }
          }), n.system())
          .toCompletableFuture().get(10, TimeUnit.MINUTES);
      double produceSeconds = seconds(t1);
      out.printf("[3/4] produced %,d page views in %.2f s (%,.0f/s), each acknowledged durable%n",
          events, produceSeconds, events / produceSeconds);

      long t2 = System.nanoTime();
      Aggregate aggregate = log.source(TOPIC, StartPosition.earliest())
          .take(events)
          .runWith(Sink.fold(new Aggregate(events), Aggregate::add), n.system())
          .toCompletableFuture().get(10, TimeUnit.MINUTES);
      double consumeSeconds = seconds(t2);
      out.printf("[4/4] consumed and aggregated %,d page views from %d partitions in %.2f s "
          + "(%,.0f/s)%n", aggregate.consumed, partitions, consumeSeconds,
          aggregate.consumed / consumeSeconds);
      aggregate.print(out);
      long lost = events - aggregate.distinct.cardinality();
      out.printf("Summary: produced %,d, consumed %,d, lost %d, duplicated %d, total %.1f s%n",
          events, aggregate.consumed, lost, aggregate.duplicates, seconds(t0));
      return lost == 0 && aggregate.duplicates == 0 ? 0 : 1;
    }
  }

  private void recreateTopic(Log log) throws Exception {
    try {
      log.deleteTopic(TOPIC).toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicException)) {
        throw e;
      }
    }
    log.createTopic(TOPIC, partitions, Map.of()).toCompletableFuture().get();
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  /** Views and distinct users per page, and the ids seen, to prove nothing was lost. */
  static final class Aggregate {
    final BitSet distinct;
    final Map<String, Long> views = new HashMap<>();
    final Map<String, Set<String>> users = new HashMap<>();
    long consumed;
    long duplicates;

    Aggregate(int events) {
      distinct = new BitSet(events);
    }

    Aggregate add(ConsumerRecord r) {
      String[] fields = r.valueString().split(",", 4);
      int id = Integer.parseInt(fields[0]);
      if (distinct.get(id)) {
        duplicates++;
      }
      distinct.set(id);
      consumed++;
      views.merge(fields[2], 1L, Long::sum);
      users.computeIfAbsent(fields[2], p -> new HashSet<>()).add(fields[1]);
      return this;
    }

    void print(PrintWriter out) {
      out.println();
      out.printf("  %-14s %10s %14s%n", "page", "views", "unique users");
      views.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
          .forEach(e -> out.printf("  %-14s %,10d %,14d%n", e.getKey(), e.getValue(),
              users.get(e.getKey()).size()));
      out.println();
    }
  }
}
