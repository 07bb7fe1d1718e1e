package io.weir.benchmarks.log;

import java.util.SplittableRandom;

/**
 * The log benchmark's input, generated once from a seed so that both sides get exactly the same
 * records: {@value #VALUE_BYTES}-byte random values, and either no keys or small keys
 * ({@value #KEY_BYTES} bytes, {@value #DISTINCT_KEYS} distinct) that both sides' murmur2
 * partitioners spread over the partitions. Immutable; the arrays must not be modified.
 */
public final class Workload {
  /** The size of every value. */
  public static final int VALUE_BYTES = 100;
  /** The size of every key of a keyed workload. */
  public static final int KEY_BYTES = 8;
  /** How many distinct keys a keyed workload uses. */
  public static final int DISTINCT_KEYS = 1024;

  private final long seed;
  private final byte[][] keys;
  private final byte[][] values;
  private final Digest expected;

  private Workload(long seed, byte[][] keys, byte[][] values) {
    this.seed = seed;
    this.keys = keys;
    this.values = values;
    Digest.Builder digest = new Digest.Builder();
    for (int i = 0; i < values.length; i++) {
      digest.add(keys[i], values[i]);
    }
    this.expected = digest.build();
  }

  /**
   * Generates a workload with small keys.
   *
   * @param seed the seed of the generator
   * @param records how many records, at least 1
   * @return the workload, never null
   */
  public static Workload generate(long seed, int records) {
    if (records < 1) {
      throw new IllegalArgumentException("records must be >= 1, was " + records);
    }
    SplittableRandom random = new SplittableRandom(seed);
    byte[][] keySpace = new byte[DISTINCT_KEYS][];
    for (int k = 0; k < DISTINCT_KEYS; k++) {
      keySpace[k] = new byte[KEY_BYTES];
      random.nextBytes(keySpace[k]);
    }
    byte[][] keys = new byte[records][];
    byte[][] values = new byte[records][];
    for (int i = 0; i < records; i++) {
      keys[i] = keySpace[random.nextInt(DISTINCT_KEYS)];
      values[i] = new byte[VALUE_BYTES];
      random.nextBytes(values[i]);
    }
    return new Workload(seed, keys, values);
  }

  /** The same values without keys (a sticky partitioner then fills one batch at a time). */
  public Workload withoutKeys() {
    return new Workload(seed, new byte[values.length][], values);
  }

  /** The first {@code n} records (all of them if {@code n >= size()}). */
  public Workload head(int n) {
    int size = Math.min(n, values.length);
    return new Workload(seed, java.util.Arrays.copyOf(keys, size),
        java.util.Arrays.copyOf(values, size));
  }

  /** Whether the records have keys. */
  public boolean keyed() {
    return keys[0] != null;
  }

  /** The seed the workload was generated from. */
  public long seed() {
    return seed;
  }

  /** The number of records. */
  public int size() {
    return values.length;
  }

  /** The key of record {@code i}, or null in a workload without keys. */
  public byte[] key(int i) {
    return keys[i];
  }

  /** The value of record {@code i}, never null. */
  public byte[] value(int i) {
    return values[i];
  }

  /** The count and checksum a complete read of the workload must give. */
  public Digest expected() {
    return expected;
  }
}
