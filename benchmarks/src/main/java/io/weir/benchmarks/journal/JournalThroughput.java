package io.weir.benchmarks.journal;

import io.weir.benchmarks.TempFiles;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Write and replay throughput of Weir's segment journal (each fsync policy) against
 * pekko-persistence-jdbc on an H2 file, for one and for four entities persisting events of 100
 * records x 100 bytes. Not a test: a program that prints {@code RESULT} lines and a table.
 *
 * <p>Usage: {@code java -cp <benchmarks classpath> io.weir.benchmarks.journal.JournalThroughput
 * [--quick] [--only NAME]}. {@code --quick} runs one round of 1000 events; the default warms
 * every journal up with 2000 events, then runs three rounds of 4000 events, alternating the
 * journals within each round, and reports medians.
 */
public final class JournalThroughput {
  private static final long SEED = 20261123L;
  private static final int RECORDS_PER_BATCH = 100;
  private static final int RECORD_BYTES = 100;
  private static final int DISTINCT_BATCHES = 64;
  private static final List<JournalUnderTest> JOURNALS = List.of(
      JournalUnderTest.SEGMENTS_ALWAYS, JournalUnderTest.SEGMENTS_INTERVAL,
      JournalUnderTest.SEGMENTS_NEVER, JournalUnderTest.JDBC_H2);
  private static final int[] ENTITIES = {1, 4};

  private JournalThroughput() {}

  /**
   * Runs the benchmark and prints its figures on stdout.
   *
   * @param args {@code --quick} for a short run; {@code --only NAME} to run one journal alone
   *     (no RESULT lines then), e.g. to watch it with a profiler
   * @throws Exception if a run fails or its stored data does not check out
   */
  public static void main(String[] args) throws Exception {
    run(List.of(args));
  }

  /**
   * Runs the benchmark (what {@code weir bench journal} calls).
   *
   * @param arguments as for {@link #main}
   * @throws Exception if a run fails or its stored data does not check out
   */
  public static void run(List<String> arguments) throws Exception {
    boolean quick = arguments.contains("--quick");
    int rounds = quick ? 1 : 3;
    int events = quick ? 1000 : 4000;
    int warmUpEvents = quick ? 300 : 2000;
    List<JournalUnderTest> journals = journals(arguments);
    printMachine(rounds, events);
    List<byte[]> batches = batches(new Random(SEED));
    Path root = Files.createTempDirectory("weir-journal-bench-");
    try {
      for (JournalUnderTest journal : journals) {
        for (int entities : ENTITIES) {
          JournalRun.run(journal, entities, warmUpEvents, batches, root);
        }
      }
      Map<String, List<JournalRun.Figures>> figures = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        for (int entities : ENTITIES) {
          for (JournalUnderTest journal : journals) {
            JournalRun.Figures f = JournalRun.run(journal, entities, events, batches, root);
            figures.computeIfAbsent(key(journal, entities), k -> new ArrayList<>()).add(f);
            System.out.printf(Locale.ROOT, "round %d %-18s %de: %,10.0f events/s %8.1f MB/s "
                    + "replay %,10.0f events/s%n", round, journal.name(), entities,
                f.writeEventsPerSecond(), f.writeMegabytesPerSecond(),
                f.replayEventsPerSecond());
          }
        }
      }
      if (journals.equals(JOURNALS)) {
        printResults(figures);
      }
    } finally {
      TempFiles.deleteRecursively(root);
    }
  }

  /** All journals, or only the one named after {@code --only}. */
  private static List<JournalUnderTest> journals(List<String> arguments) {
    int only = arguments.indexOf("--only");
    if (only < 0) {
      return JOURNALS;
    }
    String name = only + 1 < arguments.size() ? arguments.get(only + 1) : "";
    return JOURNALS.stream().filter(j -> j.name().equals(name)).findFirst().map(List::of)
        .orElseThrow(() -> new IllegalArgumentException("--only needs one of "
            + JOURNALS.stream().map(JournalUnderTest::name).toList() + ", not \"" + name + "\""));
  }

  private static List<byte[]> batches(Random random) {
    List<byte[]> batches = new ArrayList<>();
    for (int i = 0; i < DISTINCT_BATCHES; i++) {
      byte[] batch = new byte[RECORDS_PER_BATCH * RECORD_BYTES];
      random.nextBytes(batch);
      batches.add(batch);
    }
    return batches;
  }

  private static void printResults(Map<String, List<JournalRun.Figures>> figures) {
    JournalUnderTest peer = JournalUnderTest.JDBC_H2;
    for (int entities : ENTITIES) {
      List<JournalRun.Figures> peerFigures = figures.get(key(peer, entities));
      for (JournalUnderTest journal : JOURNALS) {
        if (journal == peer) {
          continue;
        }
        List<JournalRun.Figures> weir = figures.get(key(journal, entities));
        result("journal-write-" + entities + "e-" + journal.name(), weir, peerFigures,
            JournalRun.Figures::writeEventsPerSecond, "events/s");
        result("journal-write-mb-" + entities + "e-" + journal.name(), weir, peerFigures,
            JournalRun.Figures::writeMegabytesPerSecond, "MB/s");
      }
      result("journal-replay-" + entities + "e", figures.get(
              key(JournalUnderTest.SEGMENTS_ALWAYS, entities)), peerFigures,
          JournalRun.Figures::replayEventsPerSecond, "events/s");
    }
    System.out.println();
    System.out.println("| journal | durability of an acknowledged write | entities "
        + "| write events/s | write MB/s | replay events/s |");
    System.out.println("|---|---|---|---|---|---|");
    for (int entities : ENTITIES) {
      for (JournalUnderTest journal : JOURNALS) {
        List<JournalRun.Figures> f = figures.get(key(journal, entities));
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %,.0f | %.1f | %,.0f |%n",
            journal.name(), journal.durability(), entities,
            median(f, JournalRun.Figures::writeEventsPerSecond),
            median(f, JournalRun.Figures::writeMegabytesPerSecond),
            median(f, JournalRun.Figures::replayEventsPerSecond));
      }
    }
  }

  /** Prints one RESULT line: medians of each side and the median, min and max round ratio. */
  private static void result(String figure, List<JournalRun.Figures> weir,
      List<JournalRun.Figures> peer, ToDoubleFunction<JournalRun.Figures> value, String unit) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < weir.size(); i++) {
      ratios.add(value.applyAsDouble(weir.get(i)) / value.applyAsDouble(peer.get(i)));
    }
    ratios.sort(Comparator.naturalOrder());
    System.out.printf(Locale.ROOT,
        "RESULT %s weir=%.1f peer=%.1f ratio=%.2f unit=%s ratio-min=%.2f ratio-max=%.2f%n",
        figure, median(weir, value), median(peer, value), ratios.get(ratios.size() / 2), unit,
        ratios.get(0), ratios.get(ratios.size() - 1));
  }

  private static double median(List<JournalRun.Figures> figures,
      ToDoubleFunction<JournalRun.Figures> value) {
    double[] values = figures.stream().mapToDouble(value).sorted().toArray();
    return values[values.length / 2];
  }

  private static String key(JournalUnderTest journal, int entities) {
    return journal.name() + "/" + entities;
  }

  private static void printMachine(int rounds, int events) {
    Runtime runtime = Runtime.getRuntime();
    long memory = ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    System.out.printf(Locale.ROOT, "machine: %d cores, %.1f GiB memory, %s %s, Java %s (%s)%n",
        runtime.availableProcessors(), memory / (double) (1L << 30),
        System.getProperty("os.name"), System.getProperty("os.arch"),
        System.getProperty("java.version"), System.getProperty("java.vm.name"));
    System.out.printf(Locale.ROOT, "jvm flags: %s, max heap %d MiB%n",
        ManagementFactory.getRuntimeMXBean().getInputArguments(), runtime.maxMemory() >> 20);
    System.out.printf(Locale.ROOT, "workload: %d rounds, %d events per run of %d records x %d "
            + "bytes (one event per persist), %d in flight per entity, temp dir %s%n", rounds,
        events, RECORDS_PER_BATCH, RECORD_BYTES, 32, System.getProperty("java.io.tmpdir"));
  }

}
