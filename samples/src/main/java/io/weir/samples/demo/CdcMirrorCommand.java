package io.weir.samples.demo;

import io.weir.connectors.postgres.PostgresCdcSource;
import io.weir.connectors.postgres.SnapshotMode;
import io.weir.connectors.transforms.Unwrap;
import io.weir.lakehouse.IcebergSink;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.Row;
import io.weir.lakehouse.TableDefinition;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.Log;
import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import io.weir.node.cli.NodeOptions;
import io.weir.stream.api.Collector;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.Jobs;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code weir demo cdc}: the CDC pipeline sample. A PostgreSQL table (embedded) is captured by a
 * checkpointed job — its snapshot, then every change from the WAL — into an Iceberg upsert table
 * that mirrors it (upserts and deletes by primary key, exactly once), and into a log topic of
 * cache invalidations, one per changed row, that a cache consumes. The demo changes the source
 * table meanwhile, waits until the mirror equals it row for row, and prints both sides.
 */
@Command(name = "cdc", mixinStandardHelpOptions = true,
    description = "The CDC sample: a PostgreSQL table (embedded) mirrored into an Iceberg upsert "
        + "table by a CDC job, with cache invalidations on a log topic.")
public final class CdcMirrorCommand implements Callable<Integer> {
  static final String TABLE = "mirror.customers";
  static final String INVALIDATIONS = "cache.invalidations";
  static final String SLOT = "weir_customers_mirror";
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  @Mixin NodeOptions node;
  @Spec CommandSpec spec;
  @Option(names = "--customers", paramLabel = "N", defaultValue = "1000",
      description = "Rows in the source table before the job starts (default: ${DEFAULT-VALUE}).")
  int customers;

  /** The mirror's columns: the source table's, with its primary key. */
  static final TableDefinition MIRROR = TableDefinition.of(new Schema(
      Types.NestedField.required(1, "id", Types.IntegerType.get()),
      Types.NestedField.optional(2, "name", Types.StringType.get()),
      Types.NestedField.optional(3, "email", Types.StringType.get()),
      Types.NestedField.optional(4, "tier", Types.StringType.get())))
      .withPrimaryKey("id");

  /** The mirror job: args JDBC URL, lakehouse (a directory, or LakehouseSettings.toArgument()). */
  public static final class Mirror implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofSeconds(1)));
      DataStream<io.weir.connectors.transforms.Row> rows = job.fromSource(
              PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user("postgres")
                  .password("postgres").slotName(SLOT).publicationName(SLOT)
                  .tables(List.of("public.customers")).snapshotMode(SnapshotMode.INITIAL)
                  .build(), "Customers CDC")
          .flatMap(Unwrap.keepingDeletes()).name("Unwrap");
      // One key's changes stay in order: keyed by the primary key into the upsert sink.
      rows.keyBy(r -> (Integer) r.get("id"))
          .process((io.weir.connectors.transforms.Row r, KeyedProcessFunction.Context<Integer> ctx,
              Collector<Row> out) ->
              out.collect(r.deleted() ? Row.delete(Map.of("id", r.get("id")))
                  : Row.upsert(new LinkedHashMap<>(r.values())))).name("To Iceberg rows")
          // One writer: one commit (one table snapshot) per checkpoint.
          // The source table gains a column while streaming: the mirror gains it too.
          .sinkTo(IcebergSink.upsert(LakehouseSettings.fromArgument(args.get(1)), TABLE,
              "customers-mirror").withSchemaEvolution()).name("Iceberg mirror")
          .setParallelism(1);
      rows.filter(r -> !"r".equals(r.op())).name("Changes only")
          .toLog((io.weir.stream.api.LogRecordRouter<io.weir.connectors.transforms.Row>) r ->
              new io.weir.log.api.ProducerRecord(INVALIDATIONS, null,
                  ("customers/" + r.get("id")).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  r.op().getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of(), null),
              "cache-invalidations").name("Cache invalidations");
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Weir CDC sample: a PostgreSQL table mirrored into an Iceberg upsert table, with"
        + " cache invalidations on the log.");
    try (EmbeddedPostgres postgres = DemoCommand.logicalPostgres();
        WeirNode n = node.start()) {
      String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
      Random random = new Random(7);
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE customers (id int PRIMARY KEY, name text, email text,"
            + " tier text)");
        s.execute("INSERT INTO customers SELECT i, 'customer ' || i, 'c' || i || '@example.com',"
            + " (ARRAY['free','pro','team'])[1 + i % 3] FROM generate_series(1, " + customers
            + ") i");
      }
      out.printf("[1/5] PostgreSQL (embedded) on port %d: table customers with %,d rows%n",
          postgres.getPort(), customers);

      Log log = n.weir().log();
      DemoCommand.recreateTopic(log, INVALIDATIONS, 2);
      LakehouseSettings lake = LakehouseSettings.fromConfig(n.system().settings().config());
      try (Lakehouse tables = Lakehouse.open(lake)) {
        tables.dropTable(TABLE, true);
        tables.createTable(TABLE, MIRROR);
      }
      Jobs jobs = n.weir().jobs();
      String jobId = jobs.submit(Mirror.class.getName(), List.of(url,
          lake.directory().toString())).toCompletableFuture().get(1, TimeUnit.MINUTES).jobId();
      out.printf("[2/5] mirror job %s: snapshot then WAL of customers -> Iceberg upsert table"
          + " %s, and invalidations -> topic %s%n", jobId, TABLE, INVALIDATIONS);
      Map<Integer, String> source = sourceRows(postgres);
      awaitMirror(lake, source, jobs, jobId, out, "the snapshot");

      int changes = change(postgres, random);
      source = sourceRows(postgres);
      out.printf("[3/5] changed the source while the job streams: %d rows updated, deleted or"
          + " inserted in 20 transactions, and a column added half way (country); it now has"
          + " %,d rows%n", changes, source.size());
      Map<Integer, String> mirror = awaitMirror(lake, source, jobs, jobId, out, "the changes");

      Set<String> invalidated = ConcurrentHashMap.newKeySet();
      // Read committed: a transaction a restarted job aborted is never seen.
      List<ConsumerRecord> records = log.source(INVALIDATIONS, StartPosition.earliest(),
              io.weir.log.api.IsolationLevel.READ_COMMITTED)
          .take(changes).takeWithin(Duration.ofSeconds(30)).runWith(Sink.seq(), n.system())
          .toCompletableFuture().get(1, TimeUnit.MINUTES);
      records.forEach(r -> invalidated.add(r.keyString()));
      out.printf("[4/5] the cache read %d invalidations for %d distinct rows, e.g. %s%n",
          records.size(), invalidated.size(), records.isEmpty() ? "none"
              : records.get(0).keyString() + " (" + records.get(0).valueString() + ")");
      jobs.cancel(jobId).toCompletableFuture().get(1, TimeUnit.MINUTES);

      out.printf("[5/5] source and mirror, the rows with a country first:%n");
      source.entrySet().stream()
          .sorted(java.util.Comparator.comparing((Map.Entry<Integer, String> e) ->
              !e.getValue().contains("country-")))
          .limit(5).forEach(e -> out.printf("      %-5d %s%n", e.getKey(), e.getValue()));
      boolean ok = mirror.equals(source) && records.size() == changes;
      out.printf("Summary: the Iceberg mirror has %,d rows, %s the source's %,d; %d of %d"
          + " changes invalidated%n", mirror.size(), mirror.equals(source) ? "identical to"
              : "DIFFERENT FROM", source.size(), records.size(), changes);
      return ok ? 0 : 1;
    }
  }

  /** Updates, deletes and inserts in small transactions; returns how many rows changed. */
  private int change(EmbeddedPostgres postgres, Random random) throws Exception {
    int changed = 0;
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        for (int t = 0; t < 20; t++) {
          if (t == 10) {
            // Half way, the table gains a column: later rows fill it.
            s.execute("ALTER TABLE customers ADD COLUMN country text");
            c.commit();
          }
          String country = t < 10 ? "" : ", country = 'country-" + t + "'";
          for (int i = 0; i < 5; i++) {
            int id = 1 + random.nextInt(customers);
            // A statement that finds no row (an id deleted before) changes nothing.
            changed += switch (i % 5) {
              case 0, 1 -> s.executeUpdate("UPDATE customers SET tier = 'enterprise', email ="
                  + " 'vip" + id + "@example.com'" + country + " WHERE id = " + id);
              case 2 -> s.executeUpdate("DELETE FROM customers WHERE id = " + id);
              default -> s.executeUpdate("INSERT INTO customers VALUES (" + (customers + 1 + t * 5
                  + i) + ", 'new customer', 'new" + t + i + "@example.com', 'free')");
            };
          }
          c.commit();
        }
      }
    }
    return changed;
  }

  private static Map<Integer, String> sourceRows(EmbeddedPostgres postgres) throws Exception {
    Map<Integer, String> rows = new TreeMap<>();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM customers")) {
      boolean country = r.getMetaData().getColumnCount() > 4;
      while (r.next()) {
        rows.put(r.getInt("id"), line(r.getString("name"), r.getString("email"),
            r.getString("tier"), country ? r.getString("country") : null));
      }
    }
    return rows;
  }

  /** A row as the demo compares and prints it; the country once the column exists. */
  private static String line(Object name, Object email, Object tier, Object country) {
    return name + " | " + email + " | " + tier + (country == null ? "" : " | " + country);
  }

  /** Waits until the mirror equals the source, showing its progress; returns the mirror. */
  private static Map<Integer, String> awaitMirror(LakehouseSettings lake,
      Map<Integer, String> source, Jobs jobs, String jobId, PrintWriter out, String what)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    Map<Integer, String> mirror = Map.of();
    int shown = -1;
    while (System.nanoTime() < deadline) {
      try (Lakehouse tables = Lakehouse.open(lake)) {
        mirror = new TreeMap<>();
        for (Record r : tables.read(TABLE)) {
          mirror.put((Integer) r.getField("id"), line(r.getField("name"), r.getField("email"),
              r.getField("tier"), r.struct().field("country") == null ? null
                  : r.getField("country")));
        }
      }
      if (mirror.size() != shown) {
        out.printf("      %s: the mirror has %,d rows of %,d%n", what, mirror.size(),
            source.size());
        out.flush();
        shown = mirror.size();
      }
      if (mirror.equals(source)) {
        return mirror;
      }
      if (jobs.status(jobId).toCompletableFuture().get(1, TimeUnit.MINUTES).state()
          .isTerminal()) {
        throw new IllegalStateException("the mirror job ended early");
      }
      Thread.sleep(500);
    }
    return mirror;
  }
}
