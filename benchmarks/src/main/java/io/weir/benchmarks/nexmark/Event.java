package io.weir.benchmarks.nexmark;

/**
 * One Nexmark event: exactly one of {@code person}, {@code auction} and {@code bid} is set, as
 * in the model's own event type (one flat type keeps both systems' serializers on a plain
 * record rather than a class hierarchy). No check in the constructor: Flink's record serializer
 * may build instances with every field null before it fills them.
 *
 * @param person the new person, or null
 * @param auction the new auction, or null
 * @param bid the new bid, or null
 */
public record Event(Person person, Auction auction, Bid bid) {

  /** The event time, epoch milliseconds. */
  public long dateTime() {
    return person != null ? person.dateTime()
        : auction != null ? auction.dateTime() : bid.dateTime();
  }

  /** Whether this is a new person. */
  public boolean isPerson() {
    return person != null;
  }

  /** Whether this is a new auction. */
  public boolean isAuction() {
    return auction != null;
  }

  /** Whether this is a bid. */
  public boolean isBid() {
    return bid != null;
  }
}
