package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.nexmark.Outputs.AuctionPrice;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The Nexmark queries this benchmark runs, and the pieces of their logic both systems share
 * (filters, conversions, the order of bids), so the two implementations differ only in how they
 * are wired into each system's API.
 */
public enum Query {
  /** Pass-through: every event. */
  Q0("pass-through"),
  /** Currency conversion: every bid, its price in euros. */
  Q1("currency conversion"),
  /** Selection: the bids on every 123rd auction. */
  Q2("filter"),
  /** Local item suggestion: sellers in OR, ID, CA with auctions in category 10 (unbounded join). */
  Q3("person-auction join, keyed state"),
  /** Hot items: the auctions with the most bids in each sliding window. */
  Q5("sliding window counts + max"),
  /** Highest bid in each tumbling window. */
  Q7("highest bid per tumbling window"),
  /** New users: persons who opened an auction in the tumbling window they registered in. */
  Q8("windowed person-auction join"),
  /** Bids per bidder session. */
  Q11("bids per session window");

  /** Query 5's sliding window. */
  public static final Duration Q5_SIZE = Duration.ofSeconds(10);
  /** Query 5's slide. */
  public static final Duration Q5_SLIDE = Duration.ofSeconds(2);
  /** Query 7's and query 8's tumbling window. */
  public static final Duration TUMBLE = Duration.ofSeconds(10);
  /** Query 11's session gap. */
  public static final Duration SESSION_GAP = Duration.ofSeconds(10);
  /** The watermarks' bound, the generator's most out-of-order event. */
  public static final Duration OUT_OF_ORDERNESS =
      Duration.ofMillis(NexmarkGenerator.MAX_OUT_OF_ORDER_MS);

  private static final Set<String> Q3_STATES = Set.of("OR", "ID", "CA");
  private static final long Q3_CATEGORY = 10;

  private final String what;

  Query(String what) {
    this.what = what;
  }

  /** The query's short name, such as {@code q5}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What the query does, in a few words. */
  public String what() {
    return what;
  }

  /**
   * The query named {@code label} ({@code q0}, {@code Q5}, …).
   *
   * @throws IllegalArgumentException naming the queries there are
   */
  public static Query parse(String label) {
    for (Query q : values()) {
      if (q.label().equalsIgnoreCase(label.trim())) {
        return q;
      }
    }
    throw new IllegalArgumentException("no query '" + label + "'; there are "
        + Arrays.stream(values()).map(Query::label).toList());
  }

  /** Query 1: the bid with its price in euros (0.908 per dollar, in whole cents). */
  public static Bid toEuros(Bid bid) {
    return bid.withPrice(bid.price() * 908 / 1000);
  }

  /** Query 2's filter. */
  public static boolean q2Selects(Event e) {
    return e.bid() != null && e.bid().auction() % 123 == 0;
  }

  /** Query 2's projection. */
  public static AuctionPrice q2Project(Event e) {
    return new AuctionPrice(e.bid().auction(), e.bid().price());
  }

  /** Query 3's filter: the persons and auctions that may take part in the join. */
  public static boolean q3Selects(Event e) {
    return e.person() != null ? Q3_STATES.contains(e.person().state())
        : e.auction() != null && e.auction().category() == Q3_CATEGORY;
  }

  /** Query 3's join key: the person's id, or the auction's seller. */
  public static long q3Key(Event e) {
    return e.person() != null ? e.person().id() : e.auction().seller();
  }

  /**
   * The higher of two bids (query 7): by price, then, so that ties resolve the same way in any
   * order, by auction, bidder and time.
   */
  public static Bid higher(Bid a, Bid b) {
    int c = Long.compare(a.price(), b.price());
    if (c == 0) {
      c = Long.compare(a.auction(), b.auction());
    }
    if (c == 0) {
      c = Long.compare(a.bidder(), b.bidder());
    }
    if (c == 0) {
      c = Long.compare(a.dateTime(), b.dateTime());
    }
    return c >= 0 ? a : b;
  }

  /** The start of the tumbling window of {@link #TUMBLE} that holds {@code time}. */
  public static long tumbleStart(long time) {
    long size = TUMBLE.toMillis();
    return time - Math.floorMod(time, size);
  }
}
