package io.weir.benchmarks.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The generator follows the Nexmark model and is a pure function of seed and index. */
class NexmarkGeneratorTest {
  private static final long SEED = 42;
  private static final int N = 100_000;

  @Test
  void proportionsSizesAndDisorderFollowTheModel() {
    NexmarkGenerator g = new NexmarkGenerator(SEED);
    long persons = 0;
    long auctions = 0;
    long bids = 0;
    long personBytes = 0;
    long auctionBytes = 0;
    long bidBytes = 0;
    long maxTime = Long.MIN_VALUE;
    long outOfOrder = 0;
    long hotBids = 0;
    for (long i = 0; i < N; i++) {
      Event e = g.event(i);
      if (e.person() != null) {
        persons++;
        Person p = e.person();
        personBytes += 8 + p.name().length() + p.emailAddress().length()
            + p.creditCard().length() + p.city().length() + p.state().length() + 8
            + p.extra().length();
      } else if (e.auction() != null) {
        auctions++;
        Auction a = e.auction();
        auctionBytes += 8 + a.itemName().length() + a.description().length() + 6 * 8
            + a.extra().length();
        assertTrue(a.seller() >= NexmarkGenerator.FIRST_PERSON_ID);
      } else {
        bids++;
        Bid b = e.bid();
        bidBytes += 4 * 8 + b.channel().length() + b.url().length() + b.extra().length();
        if (b.auction() % 100 == 0) {
          hotBids++;
        }
      }
      if (e.dateTime() < maxTime) {
        outOfOrder++;
        assertTrue(maxTime - e.dateTime() <= NexmarkGenerator.MAX_OUT_OF_ORDER_MS + 1);
      }
      maxTime = Math.max(maxTime, e.dateTime());
    }
    assertEquals(N / 50, persons);
    assertEquals(3 * N / 50, auctions);
    assertEquals(46 * N / 50, bids);
    assertEquals(200, personBytes / persons, 20);
    assertEquals(500, auctionBytes / auctions, 50);
    assertEquals(100, bidBytes / bids, 10);
    assertTrue(outOfOrder > N / 2, "most events arrive out of order: " + outOfOrder);
    assertTrue(hotBids > bids / 3, "about half the bids go to hot auctions: " + hotBids);
  }

  @Test
  void anEventDependsOnlyOnSeedAndIndex() {
    NexmarkGenerator a = new NexmarkGenerator(SEED);
    NexmarkGenerator b = new NexmarkGenerator(SEED);
    for (long i = 1000; i >= 0; i--) {
      assertEquals(a.event(i), b.event(i));
    }
    assertNotEquals(a.event(7), new NexmarkGenerator(SEED + 1).event(7));
  }
}
