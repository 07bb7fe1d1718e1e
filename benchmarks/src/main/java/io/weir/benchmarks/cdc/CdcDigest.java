package io.weir.benchmarks.cdc;

/**
 * The checksum both sides of {@code bench cdc} compute over the events they count: a sum, so
 * independent of order, of a hash of each event's operation letter, row id and {@code qty}
 * after the change (0 for a delete). Debezium's worker ({@code DebeziumCdcWorker}, in its own
 * module) computes the same function.
 */
public final class CdcDigest {
  private CdcDigest() {}

  /** One event's share of the checksum. */
  public static long of(char op, long id, int qty) {
    long h = id * 0x9E3779B97F4A7C15L + op * 1_000_003L + qty;
    return h ^ (h >>> 29);
  }
}
