package io.weir.benchmarks.log;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * End-to-end latency at a fixed rate: record {@code i} (its sequence number is its 8-byte key)
 * is due at {@code start + i / rate}; its latency is the time a tailing consumer sees it minus
 * the time it was due, so a sender held up by a slow side is charged to that side (no
 * coordinated omission). Record 0 is a primer: it is sent and awaited before the clock starts,
 * so the consumer's start-up is not counted.
 *
 * <p>{@link #received} may be called from any one consumer thread; {@link #run} from another.
 */
public final class LatencyProbe {
  private final int count;
  private final long[] latencyNanos;
  private final AtomicInteger received = new AtomicInteger();
  private final CountDownLatch primed = new CountDownLatch(1);
  private final CountDownLatch all = new CountDownLatch(1);
  private final long periodNanos;
  private volatile long startNanos;
  private volatile Throwable failure;

  /**
   * A probe for {@code count} timed records sent at {@code ratePerSecond}.
   *
   * @param count timed records, at least 1
   * @param ratePerSecond the send rate, positive
   */
  public LatencyProbe(int count, double ratePerSecond) {
    if (count < 1 || !(ratePerSecond > 0)) {
      throw new IllegalArgumentException("count and rate must be positive: " + count + ", "
          + ratePerSecond);
    }
    this.count = count;
    this.periodNanos = (long) (1e9 / ratePerSecond);
    this.latencyNanos = new long[count + 1];
    Arrays.fill(latencyNanos, -1);
  }

  /** The key that carries sequence number {@code seq}. */
  public static byte[] key(int seq) {
    return ByteBuffer.allocate(8).putLong(seq).array();
  }

  /** Called by the consumer for every record it sees; {@code key} is the record's key. */
  public void received(byte[] key) {
    long now = System.nanoTime();
    int seq = (int) ByteBuffer.wrap(key).getLong();
    if (seq == 0) {
      primed.countDown();
      return;
    }
    if (latencyNanos[seq] != -1) {
      fail(new IllegalStateException("record " + seq + " was consumed twice"));
      return;
    }
    latencyNanos[seq] = now - due(seq);
    if (received.incrementAndGet() == count) {
      all.countDown();
    }
  }

  /** Called by the consumer when it fails; the run then fails with this cause. */
  public void fail(Throwable cause) {
    failure = cause;
    primed.countDown();
    all.countDown();
  }

  /**
   * Sends the primer, waits for it, sends the timed records at the fixed rate and waits until
   * the consumer saw them all. Blocks.
   *
   * @param send sends the record with the given sequence number
   * @param timeoutSeconds how long the primer, and the rest after the last send, may take
   * @return the latencies, never null
   * @throws IllegalStateException naming what went wrong when the consumer fails, or records
   *     are missing after the timeout
   */
  public Latencies run(IntConsumer send, int timeoutSeconds) throws InterruptedException {
    send.accept(0);
    if (!primed.await(timeoutSeconds, TimeUnit.SECONDS) || failure != null) {
      throw new IllegalStateException("the consumer did not see the first record within "
          + timeoutSeconds + " s" + (failure == null ? "" : ": " + failure), failure);
    }
    startNanos = System.nanoTime();
    for (int seq = 1; seq <= count; seq++) {
      long due = due(seq);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      send.accept(seq);
    }
    if (!all.await(timeoutSeconds, TimeUnit.SECONDS) || failure != null) {
      throw new IllegalStateException("the consumer saw " + received.get() + " of " + count
          + " records within " + timeoutSeconds + " s of the last send"
          + (failure == null ? "" : ": " + failure), failure);
    }
    long[] sorted = Arrays.copyOfRange(latencyNanos, 1, count + 1);
    Arrays.sort(sorted);
    return new Latencies(millis(sorted, 0.50), millis(sorted, 0.99), sorted[count - 1] / 1e6);
  }

  // When record seq is due: a function of the start, so the consumer thread needs no array
  // written by the sender.
  private long due(int seq) {
    return startNanos + (seq - 1) * periodNanos;
  }

  private static double millis(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  /**
   * Latency percentiles of one run, in milliseconds.
   *
   * @param p50 the median
   * @param p99 the 99th percentile
   * @param max the largest
   */
  public record Latencies(double p50, double p99, double max) {}
}
