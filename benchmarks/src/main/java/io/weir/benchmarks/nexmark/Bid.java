package io.weir.benchmarks.nexmark;

/**
 * A bid of the Nexmark model (~100 bytes on average).
 *
 * @param auction the id of the auction bid on
 * @param bidder the id of the person bidding
 * @param price the price, in cents
 * @param channel where the bid came from, never null
 * @param url never null
 * @param dateTime the event time, epoch milliseconds
 * @param extra padding to the model's average size, never null
 */
public record Bid(long auction, long bidder, long price, String channel, String url,
    long dateTime, String extra) {

  /** This bid with another price (query 1's currency conversion). */
  public Bid withPrice(long newPrice) {
    return new Bid(auction, bidder, newPrice, channel, url, dateTime, extra);
  }
}
