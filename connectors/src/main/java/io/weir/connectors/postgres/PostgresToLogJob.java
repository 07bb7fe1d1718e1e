package io.weir.connectors.postgres;

import io.weir.connectors.transforms.TableRouter;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * PostgreSQL tables to log topics, exactly once: the job behind {@code weir cdc postgres}.
 * Change events of each table go, as Debezium's JSON envelope, to the topic its pattern names,
 * keyed by the table's key columns when given, in log transactions committed with the
 * checkpoints that hold the WAL position (the slot advances as they complete).
 *
 * <p>Arguments, in order: JDBC URL, user, password, slot (also the publication), tables
 * (comma-separated), snapshot mode, topic pattern ({@code ${db}}, {@code ${schema}},
 * {@code ${table}}), keys ({@code table:col+col,table:col}, or {@code -} for none), checkpoint
 * interval in milliseconds; optionally the snapshot chunk size and whether to provide
 * transaction metadata ({@code true}/{@code false}; BEGIN and END go to the topic
 * {@code <slot>.transaction}), and whether to stream in-progress transactions
 * ({@code true}/{@code false}, see {@link PostgresCdcSource.Builder#streaming}).
 */
public final class PostgresToLogJob implements JobDefinition {
  @Override
  public void define(JobBuilder job, List<String> args) {
    if (args.size() < 9 || args.size() > 12) {
      throw new InvalidJobException("PostgresToLogJob takes 9 to 12 arguments (url, user,"
          + " password, slot, tables, snapshot mode, topic pattern, keys, checkpoint ms"
          + " [, snapshot chunk size [, transaction metadata [, streaming]]]), got "
          + args.size());
    }
    int chunkSize;
    try {
      chunkSize = args.size() > 9 ? Integer.parseInt(args.get(9)) : 1024;
    } catch (NumberFormatException e) {
      throw new InvalidJobException("snapshot chunk size '" + args.get(9)
          + "' is not a number");
    }
    boolean transactions = args.size() > 10 && flag(args.get(10), "transaction metadata");
    boolean streaming = args.size() > 11 && flag(args.get(11), "streaming");
    SnapshotMode mode;
    try {
      mode = SnapshotMode.valueOf(args.get(5).toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException("snapshot mode '" + args.get(5) + "' is not one of "
          + Arrays.toString(SnapshotMode.values()));
    }
    TableRouter router = TableRouter.to(args.get(6));
    if (transactions) {
      router = router.withTransactionTopic(args.get(3) + ".transaction");
    }
    if (!args.get(7).equals("-")) {
      for (String spec : args.get(7).split(",")) {
        String[] parts = spec.split(":");
        if (parts.length != 2) {
          throw new InvalidJobException("a key is table:column[+column...], was '" + spec + "'");
        }
        router = router.keyedBy(parts[0], parts[1].split("\\+"));
      }
    }
    job.enableCheckpointing(Duration.ofMillis(Long.parseLong(args.get(8))));
    job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(args.get(0)).user(args.get(1))
            .password(args.get(2)).slotName(args.get(3)).publicationName(args.get(3))
            .tables(List.of(args.get(4).split(","))).snapshotMode(mode)
            .snapshotChunkSize(chunkSize).provideTransactionMetadata(transactions)
            .streaming(streaming).build(),
            "Postgres CDC")
        // Exactly once: the log transactions commit with the checkpoints that hold the LSN.
        .toLog(router, "weir-cdc-" + args.get(3)).name("Topics by table");
  }

  private static boolean flag(String value, String name) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new InvalidJobException(name + " must be true or false, was '" + value + "'");
    }
    return Boolean.parseBoolean(value);
  }

  /** Hides the password, given apart or in the JDBC URL's {@code password} parameter. */
  @Override
  public List<String> redact(List<String> args) {
    List<String> shown = new java.util.ArrayList<>(args);
    if (!shown.isEmpty()) {
      shown.set(0, shown.get(0).replaceAll("(?i)([?&]password=)[^&]*", "$1******"));
    }
    if (shown.size() > 2 && !shown.get(2).isEmpty()) {
      shown.set(2, "******");
    }
    return shown;
  }
}
