package io.weir.benchmarks.cdc;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import io.weir.connectors.postgres.PgSplit;
import io.weir.connectors.postgres.PostgresCdcSource;
import io.weir.connectors.postgres.SnapshotMode;
import io.weir.stream.api.source.InputStatus;
import io.weir.stream.api.source.ReaderOutput;
import io.weir.stream.api.source.SourceReader;
import io.weir.stream.api.source.SourceReaderContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Weir's side of {@code weir bench cdc}, in a JVM of its own like Debezium's: the reader of a
 * {@link PostgresCdcSource} driven as a job's source subtask drives it ({@code pollNext}, and
 * {@code isAvailable} when nothing is there) with an output that counts, so the figure is the
 * connector's — decoding, events, the hand-over to the subtask — without a job's operators.
 *
 * <p>Arguments: {@code JDBC_URL USER PASSWORD TABLE}; then the commands and answers of
 * {@code DebeziumCdcWorker}: {@code snapshot SLOT PUBLICATION ROWS} (snapshot mode
 * {@code INITIAL_ONLY}, timed from the reader's creation to the last row) and
 * {@code stream SLOT PUBLICATION CHANGES} (snapshot mode {@code NEVER} on an existing slot, timed
 * from the first change to the last), answered {@code cdc-done NANOS COUNT CHECKSUM} or
 * {@code cdc-failed MESSAGE}.
 */
public final class WeirCdcWorker {
  static final String DONE = "cdc-done";
  static final String FAILED = "cdc-failed";
  private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(10);

  private WeirCdcWorker() {}

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
  static long[] run(String[] db, String mode, String slot, String publication, long expected)
      throws Exception {
    boolean snapshot = mode.equals("snapshot");
    if (!snapshot && !mode.equals("stream")) {
      throw new IllegalArgumentException("unknown command " + mode);
    }
    long start = System.nanoTime();
    PostgresCdcSource source = PostgresCdcSource.newBuilder()
        .jdbcUrl(db[0]).user(db[1]).password(db[2])
        .slotName(slot).publicationName(publication).tables(List.of(db[3]))
        .snapshotMode(snapshot ? SnapshotMode.INITIAL_ONLY : SnapshotMode.NEVER)
        .build();
    Counter counter = new Counter(snapshot);
    SourceReader<ChangeEvent, PgSplit> reader = source.createReader(new SourceReaderContext() {
      @Override
      public int subtaskIndex() {
        return 0;
      }

      @Override
      public int currentParallelism() {
        return 1;
      }

      @Override
      public void sendSplitRequest() {}
    });
    try {
      reader.start();
      reader.addSplits(List.of(PgSplit.fresh(slot)));
      long deadline = System.nanoTime() + TIMEOUT_NANOS;
      boolean ended = false;
      while (counter.count < expected && !ended) {
        ended = poll(reader, counter);
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out with " + counter.count + " of " + expected
              + " events");
        }
      }
      long end = counter.lastAt;
      // The INITIAL_ONLY reader drops its slot as it ends: let it, untimed.
      while (snapshot && !ended && System.nanoTime() < deadline) {
        ended = poll(reader, counter);
      }
      long nanos = end - (snapshot ? start : counter.firstAt);
      return new long[] {nanos, counter.count, counter.checksum};
    } finally {
      reader.close();
    }
  }

  /** One poll as a subtask does it; true when the reader ended. */
  private static boolean poll(SourceReader<ChangeEvent, PgSplit> reader, Counter counter)
      throws Exception {
    InputStatus status = reader.pollNext(counter);
    if (status == InputStatus.NOTHING_AVAILABLE) {
      try {
        reader.isAvailable().toCompletableFuture().get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // nothing yet
      }
    }
    return status == InputStatus.END_OF_INPUT;
  }

  /** Counts snapshot reads, or streamed changes, and sums their checksum. */
  private static final class Counter implements ReaderOutput<ChangeEvent> {
    private final boolean snapshot;
    long count;
    long checksum;
    long firstAt;
    long lastAt;

    Counter(boolean snapshot) {
      this.snapshot = snapshot;
    }

    @Override
    public void collect(ChangeEvent event) {
      Operation op = event.op();
      boolean counted = snapshot ? op == Operation.READ
          : op == Operation.CREATE || op == Operation.UPDATE || op == Operation.DELETE;
      if (!counted) {
        return;
      }
      long now = System.nanoTime();
      if (count == 0) {
        firstAt = now;
      }
      lastAt = now;
      count++;
      Map<String, Object> row = event.after() != null ? event.after() : event.before();
      checksum += CdcDigest.of(op.code().charAt(0), ((Number) row.get("id")).longValue(),
          event.after() == null ? 0 : ((Number) event.after().get("qty")).intValue());
    }

    @Override
    public void collect(ChangeEvent event, long timestamp) {
      collect(event);
    }
  }
}
