package io.weir.benchmarks.iceberg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long each Iceberg commit of a run took (the committer's commit call: manifests, metadata
 * file and the catalog's pointer swap), gathered by run name from the committers in this JVM.
 */
public final class CommitTimes {
  private static final Map<String, List<Long>> NANOS = new ConcurrentHashMap<>();

  private CommitTimes() {}

  /** Records one commit of {@code run}. */
  public static void record(String run, long nanos) {
    List<Long> list = NANOS.computeIfAbsent(run, r -> new ArrayList<>());
    synchronized (list) {
      list.add(nanos);
    }
  }

  /** Takes (and forgets) the commit times of {@code run}, in nanoseconds; empty when none. */
  public static List<Long> take(String run) {
    List<Long> list = NANOS.remove(run);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  /** The {@code q} quantile (0..1) of {@code nanos}, in milliseconds, nearest rank. */
  public static double quantileMillis(List<Long> nanos, double q) {
    if (nanos.isEmpty()) {
      return Double.NaN;
    }
    List<Long> sorted = nanos.stream().sorted().toList();
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }
}
