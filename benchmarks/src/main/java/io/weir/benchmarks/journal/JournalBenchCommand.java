package io.weir.benchmarks.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weir bench journal}: Weir's segment-file journal under each fsync policy beside
 * pekko-persistence-jdbc on an H2 file, with batch-sized events (see docs/log-storage.md).
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "The segment-file journal beside pekko-persistence-jdbc on H2 (events/s, MB/s).")
public final class JournalBenchCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "One short round (a look, not a record).")
  boolean quick;

  @Option(names = "--only", paramLabel = "NAME",
      description = "Run one journal alone (as named in the output).")
  String only;

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>();
    if (quick) {
      args.add("--quick");
    }
    if (only != null) {
      args.add("--only");
      args.add(only);
    }
    JournalThroughput.run(args);
    return 0;
  }
}
