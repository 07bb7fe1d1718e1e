package io.weir.stream.internal;

import java.util.Objects;

/**
 * Assigns keys to key groups and key groups to subtasks. A key's group depends only on its
 * {@code hashCode} and the max parallelism, never on the parallelism, so rescaling moves whole
 * groups. The hash is scrambled with murmur3's mixing (as Flink does), because many
 * {@code hashCode}s (small integers, similar strings) differ only in low or high bits.
 */
public final class KeyGroups {
  /** The highest max parallelism (as Flink's): key groups are numbered in 15 bits. */
  public static final int UPPER_BOUND_MAX_PARALLELISM = 1 << 15;

  private KeyGroups() {}

  /**
   * The key group of a key.
   *
   * @param key never null
   * @param maxParallelism the number of key groups, at least 1
   * @return from 0 to {@code maxParallelism - 1}
   */
  public static int assign(Object key, int maxParallelism) {
    Objects.requireNonNull(key, "key");
    if (maxParallelism < 1) {
      throw new IllegalArgumentException("max parallelism must be >= 1, was " + maxParallelism);
    }
    return murmurMix(key.hashCode()) % maxParallelism;
  }

  /**
   * The subtask that owns a key group: the inverse of {@link KeyGroupRange#forSubtask}.
   *
   * @param keyGroup from 0 to {@code maxParallelism - 1}
   * @param maxParallelism the number of key groups
   * @param parallelism from 1 to {@code maxParallelism}
   * @return from 0 to {@code parallelism - 1}
   */
  public static int subtaskOf(int keyGroup, int maxParallelism, int parallelism) {
    checkParallelism(maxParallelism, parallelism);
    if (keyGroup < 0 || keyGroup >= maxParallelism) {
      throw new IllegalArgumentException(
          "key group " + keyGroup + " out of range for max parallelism " + maxParallelism);
    }
    return (int) ((long) keyGroup * parallelism / maxParallelism);
  }

  /**
   * Murmur3's 32-bit hash of one int (seed 0: what Guava's
   * {@code murmur3_32_fixed().hashInt} computes),
   * made non-negative as Flink's {@code MathUtils.murmurHash} does (by negation, not by masking),
   * so a key whose {@code hashCode} equals a Flink key's lands in the same key group.
   *
   * @param code any int
   * @return from 0 to {@code Integer.MAX_VALUE}
   */
  static int murmurMix(int code) {
    int k = code * 0xcc9e2d51;
    k = Integer.rotateLeft(k, 15);
    k *= 0x1b873593;
    int h = Integer.rotateLeft(k, 13);
    h = h * 5 + 0xe6546b64;
    h ^= 4;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    if (h >= 0) {
      return h;
    }
    return h == Integer.MIN_VALUE ? 0 : -h;
  }

  static void checkParallelism(int maxParallelism, int parallelism) {
    if (maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM) {
      throw new IllegalArgumentException("max parallelism must be from 1 to "
          + UPPER_BOUND_MAX_PARALLELISM + ", was " + maxParallelism);
    }
    if (parallelism < 1 || parallelism > maxParallelism) {
      throw new IllegalArgumentException("parallelism must be from 1 to max parallelism "
          + maxParallelism + ", was " + parallelism);
    }
  }
}
