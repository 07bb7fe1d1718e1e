package io.weir.samples.demo;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A deterministic generator of page-view events: {@code id,user,page,timestampMillis}, with a
 * skewed choice of pages (a few are hot) and users. The same seed gives the same events.
 */
final class PageViews {
  static final String[] PAGES = {"/home", "/search", "/product/42", "/product/7", "/cart",
      "/checkout", "/account", "/help", "/blog/pekko", "/blog/iceberg"};

  private final Random random;
  private final long startMillis;

  PageViews(long seed, long startMillis) {
    this.random = new Random(seed);
    this.startMillis = startMillis;
  }

  /** The {@code i}-th event as CSV bytes; call with i = 0, 1, 2, ... in order. */
  byte[] next(int i) {
    // Squaring a uniform draw skews toward the first pages: a few pages take most views.
    double u = random.nextDouble();
    String page = PAGES[(int) (u * u * PAGES.length)];
    String user = "user-" + random.nextInt(5_000);
    long ts = startMillis + i * 10L + random.nextInt(2_000);
    return (i + "," + user + "," + page + "," + ts).getBytes(StandardCharsets.UTF_8);
  }

  /** The user of an event, which is also its key. */
  static String user(String csv) {
    return csv.split(",", 4)[1];
  }
}
