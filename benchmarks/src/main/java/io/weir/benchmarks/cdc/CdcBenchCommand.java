package io.weir.benchmarks.cdc;

import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir bench cdc}: Weir's PostgreSQL CDC beside Debezium 3.6.3 on an embedded
 * PostgreSQL 18 — snapshot rows per second and streaming events per second (see
 * {@link CdcBench}).
 */
@Command(name = "cdc", mixinStandardHelpOptions = true,
    description = "PostgreSQL CDC: Weir's connector beside Debezium 3.6.3 (embedded engine, "
        + "pgoutput) on an embedded PostgreSQL 18: snapshot rows/s and streaming events/s.")
public final class CdcBenchCommand implements Callable<Integer> {

  @Option(names = "--quick",
      description = "A quick look (under a minute): 50,000 rows, 50,000 changes, 1 round.")
  boolean quick;

  @Option(names = "--rows", paramLabel = "N",
      description = "Rows in the snapshotted table (default 500000, 50000 with --quick).")
  Integer rows;

  @Option(names = "--changes", paramLabel = "N",
      description = "Row changes streamed per round, half of them in one transaction "
          + "(default 400000, 50000 with --quick).")
  Integer changes;

  @Option(names = "--rounds", paramLabel = "N",
      description = "Measured rounds after a warm-up round (default 3, 1 with --quick).")
  Integer rounds;

  @Option(names = "--seed", paramLabel = "SEED",
      description = "The workload's seed (default: random, printed).")
  Long seed;

  @Override
  public Integer call() throws Exception {
    CdcBench.run(new CdcBench.Settings(
        rows != null ? rows : quick ? 50_000 : 500_000,
        changes != null ? changes : quick ? 50_000 : 400_000,
        rounds != null ? rounds : quick ? 1 : 3,
        seed != null ? seed : ThreadLocalRandom.current().nextLong()), System.out);
    return 0;
  }
}
