package io.weir.benchmarks;

import io.weir.benchmarks.cdc.CdcBenchCommand;
import io.weir.benchmarks.iceberg.IcebergBenchCommand;
import io.weir.benchmarks.journal.JournalBenchCommand;
import io.weir.benchmarks.log.LogBenchCommand;
import io.weir.benchmarks.nexmark.NexmarkBenchCommand;
import io.weir.node.api.CommandLineExtension;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weir bench}: side-by-side benchmarks of Weir against its peers, one subcommand per
 * benchmark ({@code log}, {@code journal}, {@code nexmark}, {@code iceberg} and {@code cdc}).
 * Every benchmark follows {@code BENCHMARKS.md}: the machine at the top, the same input and JVM
 * flags for both sides, alternating rounds, and one {@code RESULT} line per figure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark Weir beside its peers on this machine (see BENCHMARKS.md).",
    subcommands = {LogBenchCommand.class, JournalBenchCommand.class, NexmarkBenchCommand.class,
        IcebergBenchCommand.class, CdcBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable, CommandLineExtension {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "a benchmark is required: " + String.join(", ", spec.subcommands().keySet()));
  }
}
