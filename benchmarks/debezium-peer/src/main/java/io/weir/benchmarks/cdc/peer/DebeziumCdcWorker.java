package io.weir.benchmarks.cdc.peer;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The Debezium side of {@code weir bench cdc}, in a JVM of its own: Debezium 3.6.3's embedded
 * engine with its PostgreSQL connector ({@code pgoutput}), offsets in memory, and a consumer of
 * Kafka Connect change events ({@link RecordChangeEvent} of {@link SourceRecord}) that counts.
 *
 * <p>Arguments: {@code HOST PORT DATABASE USER PASSWORD TABLE}. Then one command per line on
 * standard input, answered by one line on standard output:
 * <ul>
 *   <li>{@code snapshot SLOT PUBLICATION ROWS}: a fresh snapshot ({@code snapshot.mode=initial_only},
 *       the slot dropped on stop), timed from the engine's start to its {@code ROWS}-th row;
 *   <li>{@code stream SLOT PUBLICATION CHANGES}: streaming from an existing slot without a
 *       snapshot ({@code snapshot.mode=no_data}), timed from the first change received to the
 *       {@code CHANGES}-th.
 * </ul>
 * Answers: {@code cdc-done NANOS COUNT CHECKSUM} or {@code cdc-failed MESSAGE};
 * {@code exit} or the end of input stops the worker. The checksum is the one
 * {@code io.weir.benchmarks.cdc.CdcDigest} computes on Weir's side.
 */
public final class DebeziumCdcWorker {
  private static final String DONE = "cdc-done";
  private static final String FAILED = "cdc-failed";

  private DebeziumCdcWorker() {}

  /** Runs the worker until {@code exit} or the end of standard input. */
  public static void main(String[] args) {
    PrintStream out = System.out;
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      out.println(DONE + " 0 0 0");
      out.flush();
      for (String line = in.readLine(); line != null && !line.equals("exit");
          line = in.readLine()) {
        String[] c = line.trim().split(" ");
        try {
          System.gc();
          long[] r = run(args, c[0], c[1], c[2], Long.parseLong(c[3]));
          out.printf(Locale.ROOT, "%s %d %d %d%n", DONE, r[0], r[1], r[2]);
        } catch (Throwable e) {
          e.printStackTrace();
          out.println(FAILED + " " + String.valueOf(e).replace('\n', ' '));
        }
        out.flush();
      }
    } catch (Throwable e) {
      out.println(FAILED + " " + String.valueOf(e).replace('\n', ' '));
      out.flush();
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  /** One run; returns nanoseconds, events counted and their checksum. */
  private static long[] run(String[] db, String mode, String slot, String publication,
      long expected) throws Exception {
    boolean snapshot = mode.equals("snapshot");
    if (!snapshot && !mode.equals("stream")) {
      throw new IllegalArgumentException("unknown command " + mode);
    }
    Properties props = new Properties();
    props.setProperty("name", "bench-" + slot);
    props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    props.setProperty("offset.storage",
        "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    props.setProperty("offset.flush.interval.ms", "60000");
    props.setProperty("database.hostname", db[0]);
    props.setProperty("database.port", db[1]);
    props.setProperty("database.dbname", db[2]);
    props.setProperty("database.user", db[3]);
    props.setProperty("database.password", db[4]);
    props.setProperty("topic.prefix", "bench");
    props.setProperty("table.include.list", db[5]);
    props.setProperty("plugin.name", "pgoutput");
    props.setProperty("slot.name", slot);
    props.setProperty("publication.name", publication);
    props.setProperty("publication.autocreate.mode", "disabled");
    props.setProperty("snapshot.mode", snapshot ? "initial_only" : "no_data");
    props.setProperty("slot.drop.on.stop", Boolean.toString(snapshot));
    props.setProperty("poll.interval.ms", "10");
    props.setProperty("tombstones.on.delete", "false");

    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[] counts = new long[4]; // count, checksum, first nanos, last nanos
    long start = System.nanoTime();
    DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
        .create(ChangeEventFormat.of(Connect.class))
        .using(props)
        .using((success, message, error) -> {
          if (!success) {
            failure.set(error != null ? error : new IllegalStateException(message));
            done.countDown();
          }
        })
        .notifying(event -> {
          SourceRecord record = event.record();
          if (!(record.value() instanceof Struct value)
              || value.schema().field("op") == null) {
            return;
          }
          String op = value.getString("op");
          if (snapshot != op.equals("r")) {
            return;
          }
          Struct after = value.getStruct("after");
          Struct row = after != null ? after : value.getStruct("before");
          long now = System.nanoTime();
          synchronized (counts) {
            if (counts[0] == 0) {
              counts[2] = now;
            }
            counts[0]++;
            counts[1] += digest(op.charAt(0), row.getInt64("id"),
                after == null ? 0 : after.getInt32("qty"));
            if (counts[0] == expected) {
              counts[3] = now;
              done.countDown();
            }
          }
        })
        .build();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    executor.execute(engine);
    try {
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("timed out with " + counts[0] + " of " + expected
            + " events");
      }
      if (failure.get() != null) {
        throw new IllegalStateException("Debezium failed: " + failure.get(), failure.get());
      }
    } finally {
      engine.close();
      executor.shutdown();
      executor.awaitTermination(1, TimeUnit.MINUTES);
    }
    synchronized (counts) {
      long nanos = counts[3] - (snapshot ? start : counts[2]);
      return new long[] {nanos, counts[0], counts[1]};
    }
  }

  /** One event's share of the checksum: the same function as Weir's side. */
  static long digest(char op, long id, int qty) {
    long h = id * 0x9E3779B97F4A7C15L + op * 1_000_003L + qty;
    return h ^ (h >>> 29);
  }
}
