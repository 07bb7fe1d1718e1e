package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.StreamTestKit;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.sink.Sink;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.SinkWriter;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sink far slower than its source slows the source down: the records generated but not yet
 * written stay within what the exchanges' buffers hold, and every record arrives once.
 */
class BackpressureTest {
  private static final int COUNT = 100_000;
  private static final int BATCH = 100;
  private static final int BUFFER = 4;
  private static final AtomicLong GENERATED = new AtomicLong();
  private static final AtomicLong WRITTEN = new AtomicLong();
  private static final AtomicLong MAX_IN_FLIGHT = new AtomicLong();
  private static final BitSet SEEN = new BitSet(COUNT);
  private static final AtomicLong DUPLICATES = new AtomicLong();
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit("weir.stream.batch-size = " + BATCH + "\n"
        + "weir.stream.exchange-buffer = " + BUFFER);
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** Counts every generated record, then spreads them round-robin to a slow sink of parallelism 2. */
  public static final class FastSourceSlowSink implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.generate(i -> {
        GENERATED.incrementAndGet();
        return i;
      }, COUNT).setParallelism(1)
          .rebalance()
          .map(i -> i).setParallelism(2)
          .sinkTo(new SlowSink()).setParallelism(2);
    }
  }

  /** Sleeps a millisecond every 20 records: about 100 times slower than the generator. */
  static final class SlowSink implements Sink<Long> {
    @Override
    public SinkWriter<Long> createWriter(SinkContext context) {
      return new SinkWriter<>() {
        private int n;

        @Override
        public void write(Long element, Long timestamp) throws Exception {
          synchronized (SEEN) {
            if (SEEN.get(element.intValue())) {
              DUPLICATES.incrementAndGet();
            }
            SEEN.set(element.intValue());
          }
          long written = WRITTEN.incrementAndGet();
          MAX_IN_FLIGHT.accumulateAndGet(GENERATED.get() - written, Math::max);
          if (++n % 20 == 0) {
            Thread.sleep(1);
          }
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void aSlowSinkBoundsWhatIsInFlightAndLosesNothing() throws Exception {
    JobStatus status = kit.run(FastSourceSlowSink.class);
    assertEquals(JobState.FINISHED, status.state(), status.summary());
    assertEquals(COUNT, WRITTEN.get());
    assertEquals(COUNT, SEEN.cardinality(), "every record arrived");
    assertEquals(0, DUPLICATES.get());
    // Per channel at most the hub's buffer, plus a batch in each stage and in the source:
    // far less than the input. Without backpressure nearly all of it would be in flight.
    long bound = 2L * (BUFFER + 16) * BATCH * 2;
    System.out.println("most records in flight: " + MAX_IN_FLIGHT.get() + " of " + COUNT);
    assertTrue(MAX_IN_FLIGHT.get() <= bound,
        "in flight at most " + bound + " records, was " + MAX_IN_FLIGHT.get());
    assertTrue(bound * 10 < COUNT);
  }
}
