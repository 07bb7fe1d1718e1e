package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.nexmark.Outputs.AuctionPrice;
import io.weir.benchmarks.nexmark.Outputs.BidderSession;
import io.weir.benchmarks.nexmark.Outputs.HotItem;
import io.weir.benchmarks.nexmark.Outputs.NewUser;
import io.weir.benchmarks.nexmark.Outputs.SellerAuction;

/**
 * A 64-bit fingerprint of every query result, from its fields (strings by their
 * {@code hashCode}, which Java fixes), so the same result gives the same fingerprint in any JVM.
 * A {@link Digest} sums them, which makes the checksum independent of the order of results.
 */
public final class Fingerprint {
  private Fingerprint() {}

  /**
   * The fingerprint of a result.
   *
   * @param result an {@link Event}, {@link Person}, {@link Auction}, {@link Bid} or one of
   *     {@link Outputs}' records
   * @throws IllegalArgumentException for any other type
   */
  public static long of(Object result) {
    if (result instanceof Event e) {
      return e.person() != null ? of(e.person()) : e.auction() != null ? of(e.auction())
          : of(e.bid());
    } else if (result instanceof Person p) {
      return hash(1, p.id(), p.name().hashCode(), p.emailAddress().hashCode(),
          p.creditCard().hashCode(), p.city().hashCode(), p.state().hashCode(), p.dateTime(),
          p.extra().hashCode());
    } else if (result instanceof Auction a) {
      return hash(2, a.id(), a.itemName().hashCode(), a.description().hashCode(), a.initialBid(),
          a.reserve(), a.dateTime(), a.expires(), a.seller(), a.category(), a.extra().hashCode());
    } else if (result instanceof Bid b) {
      return hash(3, b.auction(), b.bidder(), b.price(), b.channel().hashCode(),
          b.url().hashCode(), b.dateTime(), b.extra().hashCode());
    } else if (result instanceof AuctionPrice r) {
      return hash(4, r.auction(), r.price());
    } else if (result instanceof SellerAuction r) {
      return hash(5, r.name().hashCode(), r.city().hashCode(), r.state().hashCode(), r.auction());
    } else if (result instanceof HotItem r) {
      return hash(6, r.auction(), r.bids(), r.windowEnd());
    } else if (result instanceof NewUser r) {
      return hash(7, r.id(), r.name().hashCode(), r.windowStart());
    } else if (result instanceof BidderSession r) {
      return hash(8, r.bidder(), r.bids(), r.start(), r.end());
    }
    throw new IllegalArgumentException("no fingerprint for " + result.getClass().getName());
  }

  private static long hash(long... fields) {
    long h = 0x9E3779B97F4A7C15L;
    for (long field : fields) {
      h = mix(h ^ field) + 0x632BE59BD9B4E019L;
    }
    return h;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
