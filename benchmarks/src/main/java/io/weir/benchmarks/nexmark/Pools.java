package io.weir.benchmarks.nexmark;

import java.util.List;
import java.util.Random;

/**
 * The fixed pools of strings the generator picks from, built once from a constant seed so
 * every JVM holds the same ones. Picking from pools keeps the generator's own cost low and equal
 * for both systems, which read the same events.
 */
final class Pools {
  private static final long POOL_SEED = 0x4E45584D41524BL;

  private Pools() {}

  /** Random lower-case letters. */
  static String text(int length) {
    Random random = new Random(POOL_SEED);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  /** Every "first last" name. */
  static String[] names(List<String> first, List<String> last) {
    return first.stream().flatMap(f -> last.stream().map(l -> f + " " + l))
        .toArray(String[]::new);
  }

  /** {@code count} strings cut from {@code text}, {@code min}..{@code max} long, framed. */
  static String[] words(String text, int count, int min, int max, String prefix, String suffix) {
    Random random = new Random(POOL_SEED + min * 31L + max);
    String[] words = new String[count];
    for (int i = 0; i < count; i++) {
      int length = min + random.nextInt(max - min + 1);
      int from = random.nextInt(text.length() - length);
      words[i] = prefix + text.substring(from, from + length) + suffix;
    }
    return words;
  }

  /** Credit-card-like numbers: four groups of four digits. */
  static String[] cards(int count) {
    Random random = new Random(POOL_SEED + 1);
    String[] cards = new String[count];
    for (int i = 0; i < count; i++) {
      cards[i] = String.format("%04d %04d %04d %04d", random.nextInt(10_000),
          random.nextInt(10_000), random.nextInt(10_000), random.nextInt(10_000));
    }
    return cards;
  }

  /** {@code count} prices in cents, log-uniform from $1 to $1,000,000 (the model's prices). */
  static long[] prices(int count) {
    long[] prices = new long[count];
    for (int i = 0; i < count; i++) {
      prices[i] = Math.round(Math.pow(10.0, 6.0 * i / (count - 1)) * 100.0);
    }
    return prices;
  }
}
