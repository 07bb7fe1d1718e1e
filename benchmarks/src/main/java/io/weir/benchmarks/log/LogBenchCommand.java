package io.weir.benchmarks.log;

import io.weir.connectors.kafka.KafkaBroker;
import io.weir.benchmarks.Machine;
import io.weir.benchmarks.Report;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir bench log}: Weir's log beside a real Kafka broker on the same machine, in one run.
 * For each durability mode and partition count it measures produce throughput, consume
 * throughput (everything from the beginning) and end-to-end p99 latency at a fixed rate,
 * alternating Weir and Kafka for several rounds after a warm-up, checking every read against
 * what was written, and prints {@code RESULT} lines and a table (see {@code BENCHMARKS.md}).
 */
@Command(name = "log", mixinStandardHelpOptions = true,
    description = "Weir's log beside a Kafka broker: produce and consume throughput, "
        + "end-to-end p99 latency, OS-cache and fsync durability, 1 and 4 partitions.")
public final class LogBenchCommand implements Callable<Integer> {

  @Option(names = "--quick",
      description = "A quick look: fewer records, one round, short latency runs (under a minute).")
  boolean quick;

  @Option(names = "--records", paramLabel = "N",
      description = "Records per produce/consume run (default 500000, 50000 with --quick).")
  Integer records;

  @Option(names = "--rounds", paramLabel = "N",
      description = "Measured rounds, each Weir then Kafka (default 3, 1 with --quick).")
  Integer rounds;

  @Option(names = "--seed", paramLabel = "SEED",
      description = "Seed of the generated records (default: random, printed).")
  Long seed;

  @Option(names = "--partitions", paramLabel = "P", split = ",", defaultValue = "1,4",
      description = "Partition counts to measure (default 1,4). One partition: records "
          + "without keys; more: 8-byte keys.")
  List<Integer> partitions;

  @Option(names = "--durability", paramLabel = "MODE", split = ",", defaultValue = "os,fsync",
      description = "Durability modes: os (acknowledged in the OS page cache), fsync "
          + "(acknowledged after fsync). Default: os,fsync.")
  List<String> durability;

  @Option(names = "--latency-rate", paramLabel = "RECORDS_PER_S", defaultValue = "5000",
      description = "The fixed send rate of the latency runs (default 5000).")
  int latencyRate;

  @Option(names = "--latency-seconds", paramLabel = "S",
      description = "How long each latency run sends (default 5, 1 with --quick).")
  Double latencySeconds;

  @Option(names = "--weir-config", paramLabel = "KEY=VALUE",
      description = "A configuration key of Weir's node, over the mode's settings; repeatable "
          + "(e.g. --weir-config weir.journal.segments.fsync=interval).")
  Map<String, String> weirConfig = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    Quiet.kafkaClients();
    int n = records != null ? records : quick ? 50_000 : 500_000;
    int r = rounds != null ? rounds : quick ? 1 : 3;
    double seconds = latencySeconds != null ? latencySeconds : quick ? 1 : 5;
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    if (n < 1 || r < 1 || latencyRate < 1 || seconds <= 0
        || partitions.stream().anyMatch(p -> p < 1)) {
      throw new IllegalArgumentException("--records, --rounds, --partitions, --latency-rate and "
          + "--latency-seconds must be positive");
    }
    List<Durability> modes = durability.stream().map(Durability::parse).distinct().toList();
    int latencyCount = (int) Math.max(1, Math.round(latencyRate * seconds));
    Machine machine = Machine.current();
    List<String> brokerFlags = BrokerFlags.from(machine.jvmFlags());

    out.println("# weir bench log" + (quick ? " --quick" : ""));
    machine.describe().forEach(out::println);
    out.println("kafka broker jvm flags: "
        + (brokerFlags.isEmpty() ? "(none)" : String.join(" ", brokerFlags))
        + " (this JVM's memory and GC flags; Weir's node and the Kafka clients run in this JVM)");
    out.printf(Locale.ROOT, "workload: seed %d, %d records per run of %d-byte random values; 1 "
            + "partition: no keys, more: %d-byte keys (%d distinct); latency: %d records at %d "
            + "records/s%n", s, n, Workload.VALUE_BYTES, Workload.KEY_BYTES,
        Workload.DISTINCT_KEYS, latencyCount, latencyRate);
    out.println("rounds: " + r + " measured after a warm-up, Weir then Kafka in each"
        + (r < 3 ? " (fewer than the 3 BENCHMARKS.md asks for: a quick look, not a record)" : ""));
    out.flush();

    Workload keyed = Workload.generate(s, n);
    Workload unkeyed = keyed.withoutKeys();
    Report report = new Report("log");
    try (KafkaBroker broker = KafkaBroker.start(brokerFlags)) {
      out.println("kafka: " + KafkaBroker.version() + " broker on " + broker.bootstrapServers());
      for (Durability mode : modes) {
        out.println();
        out.println("## durability " + mode.label() + ": " + mode.meaning());
        try (WeirLogSide weir = WeirLogSide.start(mode, weirConfig);
             KafkaLogSide kafka = new KafkaLogSide(broker, mode)) {
          out.println("weir:  " + weir.durability());
          out.println("kafka: " + kafka.durability());
          out.flush();
          Rounds measure = new Rounds(mode, weir, kafka, latencyRate, latencyCount, out);
          measure.warmUp(keyed, unkeyed, partitions);
          for (int round = 1; round <= r; round++) {
            for (int p : partitions) {
              measure.round(round, p, p == 1 ? unkeyed : keyed, report);
            }
          }
        }
      }
    }
    out.println();
    report.printResults(out);
    out.println();
    report.printTable(out);
    out.flush();
    return 0;
  }
}
