package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.Machine;
import io.weir.benchmarks.Report;
import io.weir.benchmarks.Report.Better;
import io.weir.benchmarks.log.BrokerFlags;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.runtime.util.EnvironmentInformation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir bench nexmark}: the Nexmark queries on Weir (an embedded node in this JVM) and on
 * Flink (a MiniCluster in a JVM of its own with the same flags, or in this one), fed by the same
 * generator. For each query: a cross-check run of each side on the full
 * event count (which is also the warm-up) whose results must agree, then rounds alternating
 * Weir and Flink, each run checked against the cross-check's results; {@code RESULT} lines and
 * a table of events per second follow (see {@code BENCHMARKS.md}).
 */
@Command(name = "nexmark", mixinStandardHelpOptions = true,
    description = "Nexmark q0, q1, q2, q3, q5, q7, q8, q11 on Weir beside Flink 2.3 "
        + "(MiniCluster): events/s, results cross-checked first.")
public final class NexmarkBenchCommand implements Callable<Integer> {
  /** The targets of the Weir/Flink ratio, per query (issue 11). */
  private static final Map<Query, Double> TARGETS = Map.of(Query.Q0, 1.5, Query.Q1, 1.5,
      Query.Q2, 1.5, Query.Q5, 1.2, Query.Q7, 1.2, Query.Q3, 1.0, Query.Q8, 1.0, Query.Q11, 1.0);

  @Option(names = "--quick",
      description = "A quick look: 500,000 events per run (about a minute for all queries).")
  boolean quick;

  @Option(names = "--events", paramLabel = "N",
      description = "Events per run (default 5000000, 500000 with --quick).")
  Long events;

  @Option(names = "--queries", paramLabel = "Q", split = ",",
      description = "Queries to run (default all: q0,q1,q2,q3,q5,q7,q8,q11).")
  List<String> queries;

  @Option(names = "--parallelism", paramLabel = "P", defaultValue = "1",
      description = "Parallelism of every operator on both sides: 1 or 2 (default 1).")
  int parallelism;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
      description = "Measured rounds per query, each Weir then Flink (default 3).")
  int rounds;

  @Option(names = "--flink-no-object-reuse",
      description = "Run Flink without pipeline.object-reuse (Flink's default, which copies "
          + "every record between chained operators). By default object reuse is on, as in the "
          + "Nexmark project's Flink configuration.")
  boolean flinkNoObjectReuse;

  @Option(names = "--flink-in-process",
      description = "Run Flink's MiniCluster in this JVM beside Weir's node, instead of in a "
          + "JVM of its own with the same flags (the default).")
  boolean flinkInProcess;

  @Option(names = "--seed", paramLabel = "SEED",
      description = "The generator's seed (default: random, printed).")
  Long seed;

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    long n = events != null ? events : quick ? 500_000 : 5_000_000;
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    if (n < 1 || rounds < 1 || parallelism < 1 || parallelism > 2) {
      throw new IllegalArgumentException("--events and --rounds must be positive and "
          + "--parallelism 1 or 2");
    }
    List<Query> selected = queries == null ? List.of(Query.values())
        : queries.stream().map(Query::parse).distinct().toList();

    out.println("# weir bench nexmark" + (quick ? " --quick" : ""));
    Machine.current().describe().forEach(out::println);
    out.println(load("at start"));
    out.println("weir:  embedded node in this JVM (default configuration)");
    out.println("flink: " + EnvironmentInformation.getVersion() + " MiniCluster (1 task manager, "
        + parallelism + " slot(s), default configuration, pipeline.object-reuse "
        + !flinkNoObjectReuse + ") " + (flinkInProcess ? "in this JVM too"
            : "in a JVM of its own with this JVM's flags: "
            + String.join(" ", BrokerFlags.from(Machine.current().jvmFlags())))
        + "; no checkpoints on either side");
    out.printf(Locale.ROOT, "workload: %,d Nexmark events per run (person:auction:bid 1:3:46, "
            + "~200/500/100 bytes), seed %d, %s of event time, out of order by up to %d ms; "
            + "watermarks bounded by the same%n", n, s,
        Duration.ofMillis(n * NexmarkGenerator.INTER_EVENT_MICROS / 1000),
        NexmarkGenerator.MAX_OUT_OF_ORDER_MS);
    out.println("parallelism " + parallelism + "; per query: a cross-check run of each side "
        + "(also the warm-up), then " + rounds + " rounds of Weir then Flink"
        + (rounds < 3 ? " (fewer than the 3 BENCHMARKS.md asks for: a look, not a record)" : "")
        + "; events/s = events / (submission to end of job); timed runs' sinks count and take "
        + "light fingerprints (strings by length) and must match the cross-check run's");
    out.printf(Locale.ROOT, "generator alone: %,.0f events/s on one thread (a cost both sides "
        + "pay per event, inside their figures)%n", generatorRate(s, 1_000_000));
    out.flush();

    Report report = new Report("nexmark");
    try (WeirSide weir = WeirSide.start(Duration.ofMinutes(10));
         NexmarkSide flink = flinkInProcess ? FlinkSide.start(parallelism, !flinkNoObjectReuse)
             : FlinkProcessSide.start(parallelism, !flinkNoObjectReuse)) {
      for (Query q : selected) {
        out.println();
        out.println("## " + q.label() + ": " + q.what());
        CrossCheck.Outcome check = CrossCheck.verify(weir, flink, q, n, s, parallelism);
        out.println("cross-check: weir and flink agree: " + check.weir());
        out.flush();
        for (int round = 1; round <= rounds; round++) {
          NexmarkSide.Run w = measured(weir, q, n, s, check.weir());
          NexmarkSide.Run f = measured(flink, q, n, s, check.peer());
          report.add(q.label(), "events/s", Better.HIGHER, 0, w.eventsPerSecond(n),
              f.eventsPerSecond(n));
          out.printf(Locale.ROOT, "round %d %-4s weir %,11.0f events/s (%6.2f s)  flink %,11.0f "
                  + "events/s (%6.2f s)  ratio %.2f%n", round, q.label(), w.eventsPerSecond(n),
              w.nanos() / 1e9, f.eventsPerSecond(n), f.nanos() / 1e9,
              w.eventsPerSecond(n) / f.eventsPerSecond(n));
          out.flush();
        }
      }
    }
    out.println(load("at end"));
    out.println();
    report.printResults(out);
    out.println();
    report.printTable(out);
    out.println();
    out.println("targets (weir/flink): " + String.join(", ", selected.stream()
        .map(q -> q.label() + " >= " + TARGETS.get(q)).toList()));
    out.flush();
    return 0;
  }

  /** How fast the generator alone makes events, after one pass to warm it up. */
  private static double generatorRate(long seed, long n) {
    NexmarkGenerator generator = new NexmarkGenerator(seed);
    long sink = 0;
    double rate = 0;
    for (int pass = 0; pass < 3; pass++) {
      long start = System.nanoTime();
      for (long i = 0; i < n; i++) {
        sink += generator.event(i).dateTime();
      }
      rate = Math.max(rate, n / ((System.nanoTime() - start) / 1e9));
    }
    return sink == 42 ? rate + 1e-9 : rate; // uses sink, so the loop is not removed
  }

  /** The machine's load: on a shared machine, what else ran beside the benchmark. */
  private static String load(String when) {
    double load = ManagementFactory.getOperatingSystemMXBean()
        .getSystemLoadAverage();
    return String.format(Locale.ROOT, "load average (1 min) %s: %.2f on %d cores", when, load,
        Runtime.getRuntime().availableProcessors());
  }

  /**
   * A timed run, after a collection so neither side pays for the other's garbage; its sink takes
   * light fingerprints only, and its count and light checksum must match the cross-check run's.
   */
  private NexmarkSide.Run measured(NexmarkSide side, Query q, long n, long s, Digest expected)
      throws Exception {
    System.gc();
    NexmarkSide.Run run = side.run(q, n, s, parallelism, false);
    if (!expected.lightMatches(run.digest())) {
      throw new CrossCheck.ResultMismatchException("nexmark " + q.label() + ": a timed "
          + side.name() + " run produced " + run.digest() + ", its cross-check run " + expected);
    }
    return run;
  }
}
