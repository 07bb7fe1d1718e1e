package io.weir.benchmarks.iceberg;

import io.weir.benchmarks.TempFiles;
import io.weir.benchmarks.Machine;
import io.weir.benchmarks.Report;
import io.weir.benchmarks.Report.Better;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.TableDefinition;
import io.weir.node.NodeLauncher;
import io.weir.node.WeirNode;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir bench iceberg}: a generator into an Iceberg table (embedded H2 catalog, local
 * disk), checkpointed, on Weir (an embedded node in this JVM: {@code IcebergSink.append}, its
 * writers and one committer) and on Flink 2.3 (a MiniCluster in this JVM: writer operators and
 * a committer of parallelism 1 over Iceberg's own writers, see {@link FlinkIcebergJob}), same
 * rows, parallelism and checkpoint interval. A warm-up run of each side, then rounds alternating
 * Weir and Flink; every run's table is read back with Iceberg's reader and must hold every row
 * once (count and id sum). Prints {@code RESULT iceberg-rows-per-s} and
 * {@code RESULT iceberg-commit-p99-ms} (the committer's commit call: manifests, metadata and the
 * catalog swap).
 */
@Command(name = "iceberg", mixinStandardHelpOptions = true,
    description = "Rows into an Iceberg table through checkpoints: Weir's IcebergSink beside "
        + "Flink 2.3 with Iceberg's writers and a committer of parallelism 1.")
public final class IcebergBenchCommand implements Callable<Integer> {
  /** Rows per run in quick mode. */
  public static final long QUICK_ROWS = 300_000;
  /** Rows per run otherwise. */
  public static final long FULL_ROWS = 5_000_000;
  /** The table of every run, in each side's lakehouse, suffixed with the run's number. */
  public static final String TABLE_PREFIX = "bench.rows_";

  @Option(names = "--quick",
      description = "A quick look: 300,000 rows per run, 2 rounds (well under a minute).")
  boolean quick;

  @Option(names = "--rows", paramLabel = "N",
      description = "Rows per run (default 5000000, 300000 with --quick).")
  Long rows;

  @Option(names = "--rounds", paramLabel = "N",
      description = "Measured rounds, each Weir then Flink (default 3, 2 with --quick).")
  Integer rounds;

  @Option(names = "--parallelism", paramLabel = "P", defaultValue = "2",
      description = "Writers on both sides (default 2); one committer each.")
  int parallelism;

  @Option(names = "--checkpoint-ms", paramLabel = "MS", defaultValue = "1000",
      description = "The checkpoint interval of both sides, in ms (default 1000).")
  long checkpointMillis;

  @Option(names = "--dir", paramLabel = "DIR",
      description = "Where both lakehouses go (weir-lake, flink-lake), kept after the run; "
          + "default a temporary directory, deleted at the end.")
  Path dir;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    long n = rows != null ? rows : quick ? QUICK_ROWS : FULL_ROWS;
    int r = rounds != null ? rounds : quick ? 2 : 3;
    if (n < 1 || r < 1 || parallelism < 1 || checkpointMillis < 10) {
      throw new IllegalArgumentException("--rows, --rounds and --parallelism must be positive,"
          + " --checkpoint-ms at least 10");
    }
    boolean keep = dir != null;
    Path root = keep ? Files.createDirectories(dir)
        : Files.createTempDirectory("weir-bench-iceberg-");
    out.println("# weir bench iceberg" + (quick ? " --quick" : ""));
    Machine.current().describe().forEach(out::println);
    out.println("weir:  embedded node in this JVM, IcebergSink.append: " + parallelism
        + " writer(s), one committer");
    out.println("flink: " + EnvironmentInformation.getVersion() + " MiniCluster in this JVM ("
        + parallelism + " slots): " + parallelism + " writer(s) with Iceberg's "
        + "GenericFileWriterFactory/UnpartitionedWriter, one committer (iceberg-flink has no "
        + "release for Flink 2.x with Iceberg 1.12)");
    out.printf(Locale.ROOT, "workload: %,d rows per run (id, timestamp, ~40-char name, double),"
        + " unpartitioned Parquet, Iceberg JdbcCatalog on H2 and local disk for each side, "
        + "checkpoints every %d ms on both; rows/s = rows / (submission to end of job, the final commit "
        + "included); commit = the committer's commit call; a warm-up run each, then %d rounds "
        + "of Weir then Flink%s%n", n, checkpointMillis, r,
        r < 3 ? " (fewer than the 3 BENCHMARKS.md asks for: a look, not a record)" : "");
    out.flush();
    quietFlink();
    Report report = new Report("iceberg");
    WeirNode node = NodeLauncher.defaults().withDataDir(root.resolve("weir-node")).start();
    MiniCluster flink = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(new Configuration())
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(Math.max(parallelism, 2))
        .withRandomPorts()
        .build());
    try (Lakehouse weirLake = Lakehouse.open(LakehouseSettings.at(root.resolve("weir-lake")));
         Lakehouse flinkLake = Lakehouse.open(LakehouseSettings.at(root.resolve("flink-lake")))) {
      flink.start();
      int run = 0;
      for (int round = 0; round <= r; round++) {
        run++;
        Outcome w = runWeir(node, weirLake, TABLE_PREFIX + run, n);
        Outcome f = runFlink(flink, flinkLake, TABLE_PREFIX + run, n);
        String label = round == 0 ? "warm-up" : "round " + round;
        out.printf(Locale.ROOT, "%-8s weir %,10.0f rows/s (%5.2f s, %d commits, p99 %6.1f ms)"
                + "  flink %,10.0f rows/s (%5.2f s, %d commits, p99 %6.1f ms)  ratio %.2f%n",
            label, w.rowsPerSecond(n), w.nanos() / 1e9, w.commits(), w.commitP99Millis(),
            f.rowsPerSecond(n), f.nanos() / 1e9, f.commits(), f.commitP99Millis(),
            w.rowsPerSecond(n) / f.rowsPerSecond(n));
        out.flush();
        if (round > 0) {
          report.add("rows-per-s", "rows/s", Better.HIGHER, 0, w.rowsPerSecond(n),
              f.rowsPerSecond(n));
          report.add("commit-p99-ms", "ms", Better.LOWER, 1, w.commitP99Millis(),
              f.commitP99Millis());
        }
      }
    } finally {
      try {
        flink.closeAsync().get(1, TimeUnit.MINUTES);
      } catch (Exception e) {
        System.err.println("weir bench: Flink's MiniCluster did not stop cleanly: " + e);
      }
      node.close();
      if (!keep) {
        TempFiles.deleteRecursively(root);
      }
    }
    out.println();
    report.printResults(out);
    out.println();
    report.printTable(out);
    out.flush();
    return 0;
  }

  /**
   * One run's outcome.
   *
   * @param nanos submission to end of job
   * @param commits how many commits the committer made
   * @param commitP99Millis the 99th percentile of their durations
   */
  record Outcome(long nanos, int commits, double commitP99Millis) {
    double rowsPerSecond(long rows) {
      return rows / (nanos / 1e9);
    }
  }

  private Outcome runWeir(WeirNode node, Lakehouse lake, String table, long n)
      throws Exception {
    lake.createTable(table, TableDefinition.of(BenchRows.SCHEMA));
    String run = "weir-" + table;
    System.gc();
    long start = System.nanoTime();
    JobStatus submitted = node.weir().jobs().submit(WeirIcebergJob.class,
        WeirIcebergJob.args(lake.settings().directory(), table, n, parallelism,
            checkpointMillis, run)).toCompletableFuture().get(60, TimeUnit.SECONDS);
    JobStatus end = node.weir().jobs().awaitTermination(submitted.jobId(),
        Duration.ofMinutes(30)).toCompletableFuture().get(31, TimeUnit.MINUTES);
    long nanos = System.nanoTime() - start;
    if (end.state() != JobState.FINISHED) {
      throw new IllegalStateException("Weir's job did not finish: " + end.summary());
    }
    return outcome(lake, table, n, nanos, CommitTimes.take(run), "weir");
  }

  private Outcome runFlink(MiniCluster cluster, Lakehouse lake, String table, long n)
      throws Exception {
    lake.createTable(table, TableDefinition.of(BenchRows.SCHEMA));
    String run = "flink-" + table;
    StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration());
    FlinkIcebergJob.define(env, lake.settings().directory(), table, n, parallelism,
        checkpointMillis, run);
    System.gc();
    long start = System.nanoTime();
    cluster.executeJobBlocking(env.getStreamGraph().getJobGraph());
    long nanos = System.nanoTime() - start;
    return outcome(lake, table, n, nanos, CommitTimes.take(run), "flink");
  }

  /** Reads the table back: every row once, or the run fails. */
  private static Outcome outcome(Lakehouse lake, String table, long n, long nanos,
      List<Long> commits, String side) throws IOException {
    long[] counted = count(lake.loadTable(table));
    if (counted[0] != n || counted[1] != BenchRows.idSum(n)) {
      throw new IllegalStateException(side + "'s table " + table + " holds " + counted[0]
          + " rows with id sum " + counted[1] + ", expected " + n + " and "
          + BenchRows.idSum(n));
    }
    int snapshots = 0;
    for (Snapshot ignored : lake.loadTable(table).snapshots()) {
      snapshots++;
    }
    if (snapshots != commits.size()) {
      throw new IllegalStateException(side + "'s table " + table + " has " + snapshots
          + " snapshots but its committer made " + commits.size() + " commits");
    }
    return new Outcome(nanos, commits.size(), CommitTimes.quantileMillis(commits, 0.99));
  }

  /**
   * The rows of a table and the sum of their ids, read with Iceberg's generic reader.
   *
   * @return {count, id sum}
   */
  public static long[] count(Table table) throws IOException {
    long count = 0;
    long sum = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select("id").build()) {
      for (Record r : rows) {
        count++;
        sum += (Long) r.getField("id");
      }
    }
    return new long[] {count, sum};
  }

  private static void quietFlink() {
    if (System.getenv("WEIR_LOG_LEVEL") == null
        && LoggerFactory.getLogger("org.apache.flink") instanceof ch.qos.logback.classic.Logger l) {
      l.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }

}
