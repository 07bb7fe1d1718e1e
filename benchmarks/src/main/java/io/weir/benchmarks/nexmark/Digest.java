package io.weir.benchmarks.nexmark;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a query produced: how many results and the sums of their {@link Fingerprint}s
 * (wrapping), checksums that do not depend on the order the results arrived in.
 *
 * <p>The sinks of both systems run in this JVM and add what they saw under a name the run
 * chooses ({@link #add}); the run reads it back with {@link #take} once its job ended.
 *
 * @param count how many results
 * @param checksum the sum of the results' full fingerprints ({@link Fingerprint#of}); 0 when
 *     only light ones were taken
 * @param light the sum of the results' light fingerprints ({@link Fingerprint#light})
 */
public record Digest(long count, long checksum, long light) {
  private static final Map<String, Digest> SEEN = new ConcurrentHashMap<>();

  /** This digest and {@code other} together. */
  public Digest plus(Digest other) {
    return new Digest(count + other.count, checksum + other.checksum, light + other.light);
  }

  /** Whether {@code other} has this digest's count and light checksum. */
  public boolean lightMatches(Digest other) {
    return count == other.count && light == other.light;
  }

  /** Adds what a sink writer saw to the digest named {@code name}; thread-safe. */
  public static void add(String name, long count, long checksum, long light) {
    if (count != 0) {
      SEEN.merge(name, new Digest(count, checksum, light), Digest::plus);
    }
  }

  /** Removes and returns the digest named {@code name} (empty if nothing was added). */
  public static Digest take(String name) {
    Digest d = SEEN.remove(name);
    return d == null ? new Digest(0, 0, 0) : d;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d results, checksum %016x, light checksum %016x", count,
        checksum, light);
  }
}
