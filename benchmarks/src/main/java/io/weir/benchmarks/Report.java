package io.weir.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-round figures of Weir and its peer, summarised as {@code BENCHMARKS.md} asks: the median
 * of each side, and the median, minimum and maximum of the per-round ratios, where a ratio is
 * always "bigger is better for Weir" (weir/peer for throughput, peer/weir for latency).
 *
 * <p>Not thread-safe: one benchmark thread adds figures and prints the report.
 */
public final class Report {

  /** Whether a bigger or a smaller value of a figure is better. */
  public enum Better {
    /** Throughput and the like: the ratio is weir/peer. */
    HIGHER,
    /** Latency, memory, size: the ratio is peer/weir. */
    LOWER
  }

  private record Figure(String unit, Better better, int decimals, List<double[]> rounds) {}

  private final String benchmark;
  private final Map<String, Figure> figures = new LinkedHashMap<>();

  /**
   * An empty report.
   *
   * @param benchmark the benchmark's name, the prefix of every {@code RESULT} line (such as
   *     {@code log})
   */
  public Report(String benchmark) {
    this.benchmark = benchmark;
  }

  /**
   * Adds one round's values of a figure; the first call for a figure fixes its unit.
   *
   * @param figure the figure's name, such as {@code produce-os-1p}
   * @param unit the unit, such as {@code records/s}
   * @param better whether higher or lower values are better
   * @param decimals how many decimals to print
   * @param weir Weir's value, positive
   * @param peer the peer's value, positive
   */
  public void add(String figure, String unit, Better better, int decimals, double weir,
      double peer) {
    figures.computeIfAbsent(figure, f -> new Figure(unit, better, decimals, new ArrayList<>()))
        .rounds().add(new double[] {weir, peer});
  }

  /** Prints one {@code RESULT} line per figure, in the order figures were first added. */
  public void printResults(PrintStream out) {
    figures.forEach((name, f) -> out.printf(Locale.ROOT, "RESULT %s-%s weir=%s peer=%s ratio=%.2f unit=%s%n",
        benchmark, name, format(median(f, 0), f.decimals()), format(median(f, 1), f.decimals()),
        median(ratios(f)), f.unit()));
  }

  /** Prints a table of the figures: medians, the ratio's median, min and max, and rounds. */
  public void printTable(PrintStream out) {
    String header = String.format(Locale.ROOT, "| %-26s | %12s | %12s | %-9s | %6s | %6s | %6s | %6s |",
        "figure", "weir", "peer", "unit", "ratio", "min", "max", "rounds");
    out.println(header);
    out.println(header.replaceAll("[^|]", "-"));
    figures.forEach((name, f) -> {
      List<Double> r = ratios(f);
      out.printf(Locale.ROOT, "| %-26s | %12s | %12s | %-9s | %6.2f | %6.2f | %6.2f | %6d |%n",
          benchmark + "-" + name, format(median(f, 0), f.decimals()),
          format(median(f, 1), f.decimals()), f.unit(), median(r),
          r.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
          r.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), r.size());
    });
  }

  private static List<Double> ratios(Figure f) {
    return f.rounds().stream()
        .map(v -> f.better() == Better.HIGHER ? v[0] / v[1] : v[1] / v[0])
        .toList();
  }

  private static double median(Figure f, int side) {
    return median(f.rounds().stream().map(v -> v[side]).toList());
  }

  /** The median of {@code values}; the mean of the middle two for an even count. */
  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
