package io.weir.benchmarks.nexmark;

/**
 * The result records of the queries (besides {@link Event} for q0 and {@link Bid} for q1 and
 * q7), the same for Weir and Flink so their outputs can be compared.
 */
public final class Outputs {
  private Outputs() {}

  /**
   * Query 2: a bid's auction and price.
   *
   * @param auction the auction's id
   * @param price the price, in cents
   */
  public record AuctionPrice(long auction, long price) {}

  /**
   * Query 3: a seller in Oregon, Idaho or California with an auction in category 10.
   *
   * @param name the seller's name
   * @param city the seller's city
   * @param state the seller's state
   * @param auction the auction's id
   */
  public record SellerAuction(String name, String city, String state, long auction) {}

  /**
   * Query 5: an auction with the most bids in a sliding window (every such auction on a tie).
   *
   * @param auction the auction's id
   * @param bids its bids in the window
   * @param windowEnd the window's end, epoch milliseconds
   */
  public record HotItem(long auction, long bids, long windowEnd) {}

  /**
   * Query 8: a person who opened an auction in the tumbling window they registered in.
   *
   * @param id the person's id
   * @param name the person's name
   * @param windowStart the window's start, epoch milliseconds
   */
  public record NewUser(long id, String name, long windowStart) {}

  /**
   * Query 11: the bids of one bidder's session.
   *
   * @param bidder the bidder's id
   * @param bids how many bids the session holds
   * @param start the session window's start, epoch milliseconds
   * @param end the session window's end, epoch milliseconds
   */
  public record BidderSession(long bidder, long bids, long start, long end) {}

}
