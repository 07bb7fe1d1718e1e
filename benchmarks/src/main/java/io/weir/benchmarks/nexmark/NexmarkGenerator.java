package io.weir.benchmarks.nexmark;

import java.io.Serializable;
import java.util.List;

/**
 * Weir's Nexmark generator, written to the published Nexmark model (Apache Beam's, kept in the
 * {@code nexmark/nexmark} project): in every 50 events one person, three auctions and 46 bids;
 * average sizes of about 200, 500 and 100 bytes; hot auctions, hot bidders and hot sellers; and
 * event times that run out of order.
 *
 * <p>An event is a pure function of the seed and its index ({@link #event(long)}), so any
 * subtask of any system can generate any range of the stream and every run on the same seed
 * sees the same events. Event {@code i} is generated at {@code BASE_TIME + i * 100 µs} (the
 * model's default rate of 10,000 events per second of event time); its event time lags that by
 * a uniform 0 to {@link #MAX_OUT_OF_ORDER_MS} milliseconds, so events arrive out of order by up
 * to that much, and a bounded-out-of-orderness watermark of the same bound never makes one late.
 *
 * <p>Immutable and thread-safe; serializable for Flink's closures.
 */
public final class NexmarkGenerator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The id of the first person. */
  public static final long FIRST_PERSON_ID = 1000;
  /** The id of the first auction. */
  public static final long FIRST_AUCTION_ID = 1000;
  /** The first of the five auction categories. */
  public static final long FIRST_CATEGORY_ID = 10;
  /** The generation time of event 0: 2026-01-01T00:00:00Z. */
  public static final long BASE_TIME = 1_767_225_600_000L;
  /** The most an event's time lags its generation time, milliseconds. */
  public static final long MAX_OUT_OF_ORDER_MS = 500;
  /** Event time between two consecutive events, microseconds. */
  public static final long INTER_EVENT_MICROS = 100;

  private static final int PERSON_PROPORTION = 1;
  private static final int AUCTION_PROPORTION = 3;
  private static final int PROPORTION_DENOMINATOR = 50;
  private static final int NUM_CATEGORIES = 5;
  /** Hot auctions: one in this many auction ids; a bid goes to the hot one half the time. */
  private static final int HOT_AUCTION_RATIO = 100;
  private static final int HOT_AUCTIONS_ONE_IN = 2;
  /** Hot bidders and sellers: one in this many person ids; chosen three times in four. */
  private static final int HOT_BIDDER_RATIO = 100;
  private static final int HOT_BIDDERS_ONE_IN = 4;
  private static final int HOT_SELLER_RATIO = 100;
  private static final int HOT_SELLERS_ONE_IN = 4;
  /** How far back a non-hot choice reaches, and how far ahead of the newest id. */
  private static final int ACTIVE_PEOPLE = 1000;
  private static final int PERSON_ID_LEAD = 10;
  private static final int IN_FLIGHT_AUCTIONS = 100;
  private static final int AUCTION_ID_LEAD = 10;
  private static final int PERSON_BYTES = 200;
  private static final int AUCTION_BYTES = 500;
  private static final int BID_BYTES = 100;

  private static final List<String> STATES = List.of("AZ", "CA", "ID", "OR", "WA", "WY");
  private static final List<String> CITIES = List.of("Phoenix", "Los Angeles", "San Francisco",
      "Boise", "Portland", "Bend", "Redmond", "Seattle", "Kent", "Cheyenne");
  private static final List<String> FIRST_NAMES = List.of("Peter", "Paul", "Luke", "John",
      "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter");
  private static final List<String> LAST_NAMES = List.of("Shultz", "Abrams", "Spencer", "White",
      "Bartels", "Walton", "Smith", "Jones", "Noris");
  private static final List<String> CHANNELS = List.of("Google", "Facebook", "Baidu", "Apple");
  /** Random text the strings are cut from, the same in every JVM. */
  private static final String TEXT = Pools.text(4096);
  private static final String[] NAMES = Pools.names(FIRST_NAMES, LAST_NAMES);
  private static final String[] EMAILS = Pools.words(TEXT, 256, 7, 14, "@", ".com");
  private static final String[] CARDS = Pools.cards(256);
  private static final String[] ITEMS = Pools.words(TEXT, 256, 10, 20, "", "");
  private static final String[] DESCRIPTIONS = Pools.words(TEXT, 256, 80, 120, "", "");
  private static final String[] URLS = Pools.words(TEXT, 256, 10, 20,
      "https://www.nexmark.com/", "/item.htm?query=1");

  /** Log-uniform prices, so a price is a table lookup rather than a {@code Math.pow}. */
  private static final long[] PRICES = Pools.prices(4096);

  private final long seed;

  /**
   * A generator.
   *
   * @param seed the seed every event derives from
   */
  public NexmarkGenerator(long seed) {
    this.seed = seed;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /**
   * The event at {@code index}.
   *
   * @param index the event's position in the stream, 0 or more
   * @return the event, never null
   */
  public Event event(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("an event index is 0 or more, was " + index);
    }
    Rng rng = new Rng(seed, index);
    long epoch = index / PROPORTION_DENOMINATOR;
    int offset = (int) (index % PROPORTION_DENOMINATOR);
    long time = BASE_TIME + index * INTER_EVENT_MICROS / 1000 - rng.nextInt((int) MAX_OUT_OF_ORDER_MS + 1);
    if (offset < PERSON_PROPORTION) {
      return new Event(person(rng, epoch, time), null, null);
    }
    if (offset < PERSON_PROPORTION + AUCTION_PROPORTION) {
      long auctionId = epoch * AUCTION_PROPORTION + offset - PERSON_PROPORTION;
      return new Event(null, auction(rng, epoch, auctionId, time), null);
    }
    return new Event(null, null, bid(rng, epoch, time));
  }

  private static Person person(Rng rng, long epoch, long time) {
    String name = NAMES[rng.nextInt(NAMES.length)];
    String email = EMAILS[rng.nextInt(EMAILS.length)];
    String card = CARDS[rng.nextInt(CARDS.length)];
    String city = CITIES.get(rng.nextInt(CITIES.size()));
    String state = STATES.get(rng.nextInt(STATES.size()));
    int size = 8 + name.length() + email.length() + card.length() + city.length() + 2 + 8;
    return new Person(FIRST_PERSON_ID + epoch, name, email, card, city, state, time,
        extra(rng, size, PERSON_BYTES));
  }

  private static Auction auction(Rng rng, long epoch, long base0Id, long time) {
    long seller = rng.nextInt(HOT_SELLERS_ONE_IN) > 0
        ? (epoch / HOT_SELLER_RATIO) * HOT_SELLER_RATIO
        : recentPerson(rng, epoch);
    long initialBid = price(rng);
    String item = ITEMS[rng.nextInt(ITEMS.length)];
    String description = DESCRIPTIONS[rng.nextInt(DESCRIPTIONS.length)];
    long category = FIRST_CATEGORY_ID + rng.nextInt(NUM_CATEGORIES);
    int size = 8 + item.length() + description.length() + 8 + 8 + 8 + 8 + 8 + 8;
    return new Auction(FIRST_AUCTION_ID + base0Id, item, description, initialBid,
        initialBid + price(rng), time, time + 10_000 + rng.nextInt(20_000),
        FIRST_PERSON_ID + seller, category, extra(rng, size, AUCTION_BYTES));
  }

  private static Bid bid(Rng rng, long epoch, long time) {
    long lastAuction = epoch * AUCTION_PROPORTION + AUCTION_PROPORTION - 1;
    long auction;
    if (rng.nextInt(HOT_AUCTIONS_ONE_IN) > 0) {
      auction = (lastAuction / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO;
    } else {
      long first = Math.max(0, lastAuction - IN_FLIGHT_AUCTIONS);
      auction = first + rng.nextInt((int) (lastAuction - first + 1 + AUCTION_ID_LEAD));
    }
    long bidder = rng.nextInt(HOT_BIDDERS_ONE_IN) > 0
        ? (epoch / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1
        : recentPerson(rng, epoch);
    String channel = CHANNELS.get(rng.nextInt(CHANNELS.size()));
    String url = URLS[rng.nextInt(URLS.length)];
    int size = 8 + 8 + 8 + channel.length() + url.length() + 8;
    return new Bid(FIRST_AUCTION_ID + auction, FIRST_PERSON_ID + bidder, price(rng), channel, url,
        time, extra(rng, size, BID_BYTES));
  }

  /** One of the last {@link #ACTIVE_PEOPLE} persons, or one of the next few to come. */
  private static long recentPerson(Rng rng, long lastPerson) {
    long people = lastPerson + 1;
    long active = Math.min(people, ACTIVE_PEOPLE);
    return people - active + rng.nextInt((int) (active + PERSON_ID_LEAD));
  }

  /** A price in cents, log-uniform from $1 to $1,000,000 as in the model (4,096 steps). */
  private static long price(Rng rng) {
    return PRICES[rng.nextInt(PRICES.length)];
  }

  /** Padding that brings a record of {@code size} bytes to {@code average}, give or take 20%. */
  private static String extra(Rng rng, int size, int average) {
    if (size >= average) {
      return "";
    }
    int wanted = average - size;
    int delta = Math.round(wanted * 0.2f);
    int length = wanted - delta + rng.nextInt(2 * delta + 1);
    int from = rng.nextInt(TEXT.length() - length);
    return TEXT.substring(from, from + length);
  }

  /** A small, fast generator of pseudo-random numbers (SplitMix64) seeded by seed and index. */
  private static final class Rng {
    private long state;

    Rng(long seed, long index) {
      state = mix(seed ^ mix(index + 0x632BE59BD9B4E019L));
    }

    int nextInt(int bound) {
      return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    long nextLong() {
      state += 0x9E3779B97F4A7C15L;
      return mix(state);
    }

    static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }
}
