package io.weir.connectors.postgres;

import io.weir.connectors.postgres.internal.PgCdcReader;
import io.weir.stream.api.source.InputStatus;
import io.weir.stream.api.source.ReaderOutput;
import io.weir.stream.api.source.SourceReaderContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Drives a CDC reader as a subtask would, on the test's thread, and keeps what it emitted. */
final class ReaderHarness implements AutoCloseable {
  final PgCdcReader reader;
  final List<ChangeEvent> events = new ArrayList<>();
  private boolean ended;

  ReaderHarness(PostgresCdcSettings settings, PgSplit split) {
    this(settings, split, io.micrometer.core.instrument.Metrics.globalRegistry);
  }

  /** A harness whose reader reports its metrics to {@code metrics}. */
  ReaderHarness(PostgresCdcSettings settings, PgSplit split,
      io.micrometer.core.instrument.MeterRegistry metrics) {
    reader = new PgCdcReader(settings, new SourceReaderContext() {
      @Override
      public io.micrometer.core.instrument.MeterRegistry metrics() {
        return metrics;
      }

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
    reader.start();
    reader.addSplits(List.of(split));
  }

  /** Polls once (waiting up to 100 ms for data); true when the reader ended. */
  boolean pollOnce() throws Exception {
    InputStatus status = reader.pollNext(new ReaderOutput<>() {
      @Override
      public void collect(ChangeEvent element) {
        events.add(element);
      }

      @Override
      public void collect(ChangeEvent element, long timestamp) {
        events.add(element);
      }
    });
    if (status == InputStatus.END_OF_INPUT) {
      ended = true;
    } else if (status == InputStatus.NOTHING_AVAILABLE) {
      try {
        reader.isAvailable().toCompletableFuture().get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // nothing yet
      }
    }
    return ended;
  }

  /** Polls until {@code done} holds for the events so far, or fails after {@code timeout}. */
  List<ChangeEvent> pollUntil(Predicate<List<ChangeEvent>> done, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(events)) {
      if (pollOnce() && !done.test(events)) {
        throw new AssertionError("reader ended with " + events.size() + " events");
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out with " + events.size() + " events: "
            + events.subList(Math.max(0, events.size() - 3), events.size()));
      }
    }
    return events;
  }

  /** Polls until at least {@code count} events came. */
  List<ChangeEvent> pollCount(int count) throws Exception {
    return pollUntil(e -> e.size() >= count, Duration.ofSeconds(60));
  }

  /** Polls until the reader fails, and returns the failure. */
  Exception pollFailure() {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (pollOnce()) {
          throw new AssertionError("ended without failing");
        }
      }
    } catch (Exception e) {
      return e;
    }
    throw new AssertionError("no failure after 60 s, events: " + events.size());
  }

  @Override
  public void close() throws Exception {
    reader.close();
  }
}
