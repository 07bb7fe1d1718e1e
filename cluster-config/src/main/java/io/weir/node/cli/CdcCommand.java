package io.weir.node.cli;

import io.weir.connectors.postgres.PostgresToLogJob;
import io.weir.connectors.postgres.SnapshotMode;
import io.weir.connectors.postgres.SnapshotProgress;
import io.weir.node.WeirNode;
import io.weir.stream.api.SubmitOptions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weir cdc}: change data capture into log topics. */
@Command(name = "cdc", mixinStandardHelpOptions = true,
    description = "Capture database changes into log topics.",
    subcommands = {CdcCommand.Postgres.class})
public final class CdcCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a database is required: postgres");
  }

  /** {@code weir cdc postgres --url ... --tables ... --to-topic ...}. */
  @Command(name = "postgres", mixinStandardHelpOptions = true,
      description = {"Capture PostgreSQL tables (logical replication, pgoutput) into log topics:"
          + " a snapshot, then every committed change, as Debezium's JSON envelope, with"
          + " checkpoints (the slot advances as they complete).",
          "",
          "Runs in this process until the snapshot ends (--snapshot-mode initial_only) or"
              + " Ctrl-C, which leaves the job RUNNING: it resumes from its last checkpoint"
              + " when a node ('weir node') starts on the data directory.",
          "",
          "While it runs it prints the snapshot's progress: tables done, rows and chunks per"
              + " table.",
          "",
          "The server needs wal_level=logical and a user with REPLICATION. Topics named by"
              + " the pattern are created when missing."})
  static final class Postgres implements Callable<Integer> {
    @Mixin NodeOptions node;
    @Spec CommandSpec spec;
    @Option(names = "--url", required = true, paramLabel = "JDBC_URL",
        description = "The database, such as jdbc:postgresql://localhost:5432/shop.")
    String url;
    @Option(names = "--user", defaultValue = "postgres",
        description = "Default: ${DEFAULT-VALUE}.")
    String user;
    @Option(names = "--password", defaultValue = "", description = "Default: empty.")
    String password;
    @Option(names = "--tables", required = true, split = ",", paramLabel = "TABLE",
        description = "Tables to capture, comma-separated (schema.table or table).")
    List<String> tables;
    @Option(names = "--slot", defaultValue = "weir", paramLabel = "NAME",
        description = "Replication slot and publication name. Default: ${DEFAULT-VALUE}.")
    String slot;
    @Option(names = "--snapshot-mode", defaultValue = "initial", paramLabel = "MODE",
        description = "initial, never, initial_only or when_needed. Default: ${DEFAULT-VALUE}.")
    String snapshotMode;
    // $$ escapes picocli's own ${...} interpolation.
    @Option(names = "--to-topic", defaultValue = "cdc.$${schema}.$${table}",
        paramLabel = "PATTERN",
        description = "Topic pattern of $${db}, $${schema}, $${table}. Default: ${DEFAULT-VALUE}.")
    String topicPattern;
    @Option(names = "--key", split = ",", paramLabel = "TABLE:COL[+COL]",
        description = "Key columns of a table's records, so a row's changes stay in order.")
    List<String> keys = List.of();
    @Option(names = "--partitions", defaultValue = "4", paramLabel = "N",
        description = "Partitions of topics created. Default: ${DEFAULT-VALUE}.")
    int partitions;
    @Option(names = "--checkpoint-interval", defaultValue = "1000", paramLabel = "MS",
        description = "Checkpoint interval in milliseconds. Default: ${DEFAULT-VALUE}.")
    long checkpointMillis;

    @Option(names = "--snapshot-chunk-size", defaultValue = "1024", paramLabel = "ROWS",
        description = "Rows per primary-key chunk of the snapshot; a checkpoint records the"
            + " last row read, so a restore resumes there. Default: ${DEFAULT-VALUE}.")
    int chunkSize;
    @Option(names = "--transaction-metadata",
        description = "Frame transactions with BEGIN and END records on the topic"
            + " <slot>.transaction, and give each change its transaction block.")
    boolean transactionMetadata;
    @Option(names = "--streaming",
        description = "Have PostgreSQL 14+ send large transactions while still in progress"
            + " (pgoutput protocol 2); the reader holds them until they commit, in memory up to"
            + " 16 MiB each, then in a temporary file.")
    boolean streaming;

    @Override
    public Integer call() throws Exception {
      if (chunkSize < 1) {
        throw new ParameterException(spec.commandLine(),
            "--snapshot-chunk-size must be positive, was " + chunkSize);
      }
      try {
        SnapshotMode.valueOf(snapshotMode.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--snapshot-mode must be initial,"
            + " never, initial_only or when_needed, was '" + snapshotMode + "'");
      }
      PrintWriter out = spec.commandLine().getOut();
      WeirNode n = node.start();
      String db = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
      List<String> topics = new java.util.ArrayList<>();
      if (transactionMetadata) {
        topics.add(slot + ".transaction");
      }
      for (String table : tables) {
        String schema = table.contains(".") ? table.substring(0, table.indexOf('.')) : "public";
        String name = table.substring(table.indexOf('.') + 1);
        topics.add(topicPattern.replace("${db}", db).replace("${schema}", schema)
            .replace("${table}", name));
      }
      for (String topic : topics) {
        try {
          n.weir().log().createTopic(topic, partitions, Map.of()).toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
          out.println("Created topic " + topic + ".");
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof io.weir.log.api.TopicExistsException)) {
            n.close();
            throw e;
          }
        }
      }
      List<String> args = List.of(url, user, password, slot, String.join(",", tables),
          snapshotMode, topicPattern, keys.isEmpty() ? "-" : String.join(",", keys),
          String.valueOf(checkpointMillis), String.valueOf(chunkSize),
          String.valueOf(transactionMetadata), String.valueOf(streaming));
      // The snapshot's progress, from the meters the source's reader reports to this node.
      return AttachedJob.run(n, PostgresToLogJob.class.getName(), args, SubmitOptions.NONE,
          out, spec.commandLine().getErr(), () -> SnapshotProgress.of(n.weir().metrics(), slot)
              .map(SnapshotProgress::describe).orElse(null));
    }
  }
}
