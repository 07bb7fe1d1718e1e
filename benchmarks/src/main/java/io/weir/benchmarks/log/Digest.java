package io.weir.benchmarks.log;

import java.util.zip.CRC32C;

/**
 * The count and an order-independent checksum of a set of records (key and value), to check that
 * a side read back exactly what was written: a lost, duplicated or altered record changes it.
 *
 * @param count the number of records
 * @param checksum the sum of every record's 64-bit hash
 */
public record Digest(long count, long checksum) {

  @Override
  public String toString() {
    return count + " records, checksum " + Long.toHexString(checksum);
  }

  /** Accumulates a digest. Not thread-safe: one reader thread (or one stream stage) feeds it. */
  public static final class Builder {
    private final CRC32C crc = new CRC32C();
    private long count;
    private long checksum;

    /** Adds one record; {@code key} may be null, {@code value} never. */
    public void add(byte[] key, byte[] value) {
      crc.reset();
      if (key != null) {
        crc.update(key);
      }
      long keyHash = key == null ? -1 : crc.getValue();
      crc.reset();
      crc.update(value);
      checksum += mix(keyHash << 32 ^ crc.getValue());
      count++;
    }

    /** Records added so far. */
    public long count() {
      return count;
    }

    /** The digest of the records added so far. */
    public Digest build() {
      return new Digest(count, checksum);
    }

    // A 64-bit finaliser (from SplitMix64), so that sums of similar hashes do not cancel out.
    private static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      return z ^ (z >>> 31);
    }
  }
}
