package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.nexmark.Outputs.AuctionPrice;
import io.weir.benchmarks.nexmark.Outputs.BidderSession;
import io.weir.benchmarks.nexmark.Outputs.HotItem;
import io.weir.benchmarks.nexmark.Outputs.NewUser;
import io.weir.benchmarks.nexmark.Outputs.SellerAuction;

/**
 * A 64-bit fingerprint of every query result, from its fields, so the same result gives the
 * same fingerprint in any JVM. A {@link Digest} sums them, which makes the checksum independent
 * of the order of results.
 *
 * <p>Two strengths: {@link #of(Object)} reads strings whole (by their {@code hashCode}, which
 * Java fixes), for the cross-check; {@link #light(Object)} takes strings by their length only.
 * The generator cuts a new padding string for every event, whose hash is not cached, so hashing
 * it costs more than a pass-through query itself; timed runs use the light fingerprint and are
 * compared with the cross-check run's light digest.
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
    return of(result, true);
  }

  /**
   * The light fingerprint of a result: every field, but strings by their length.
   *
   * @throws IllegalArgumentException for a type {@link #of(Object)} does not know
   */
  public static long light(Object result) {
    return of(result, false);
  }

  private static long of(Object result, boolean full) {
    if (result instanceof Event e) {
      return e.person() != null ? of(e.person(), full)
          : e.auction() != null ? of(e.auction(), full) : of(e.bid(), full);
    } else if (result instanceof Person p) {
      return hash(1, p.id(), s(p.name(), full), s(p.emailAddress(), full),
          s(p.creditCard(), full), s(p.city(), full), s(p.state(), full), p.dateTime(),
          s(p.extra(), full));
    } else if (result instanceof Auction a) {
      return hash(2, a.id(), s(a.itemName(), full), s(a.description(), full), a.initialBid(),
          a.reserve(), a.dateTime(), a.expires(), a.seller(), a.category(), s(a.extra(), full));
    } else if (result instanceof Bid b) {
      return hash(3, b.auction(), b.bidder(), b.price(), s(b.channel(), full),
          s(b.url(), full), b.dateTime(), s(b.extra(), full));
    } else if (result instanceof AuctionPrice r) {
      return hash(4, r.auction(), r.price());
    } else if (result instanceof SellerAuction r) {
      return hash(5, s(r.name(), full), s(r.city(), full), s(r.state(), full), r.auction());
    } else if (result instanceof HotItem r) {
      return hash(6, r.auction(), r.bids(), r.windowEnd());
    } else if (result instanceof NewUser r) {
      return hash(7, r.id(), s(r.name(), full), r.windowStart());
    } else if (result instanceof BidderSession r) {
      return hash(8, r.bidder(), r.bids(), r.start(), r.end());
    }
    throw new IllegalArgumentException("no fingerprint for " + result.getClass().getName());
  }

  private static long s(String s, boolean full) {
    return full ? s.hashCode() : s.length();
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
