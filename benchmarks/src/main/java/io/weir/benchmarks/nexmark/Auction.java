package io.weir.benchmarks.nexmark;

/**
 * An auction of the Nexmark model (~500 bytes on average).
 *
 * @param id the auction's id, from {@link NexmarkGenerator#FIRST_AUCTION_ID} up
 * @param itemName never null
 * @param description never null
 * @param initialBid the opening price, in cents
 * @param reserve the reserve price, in cents
 * @param dateTime the event time, epoch milliseconds
 * @param expires when the auction closes, epoch milliseconds
 * @param seller the id of the person selling
 * @param category the category, from {@link NexmarkGenerator#FIRST_CATEGORY_ID}
 * @param extra padding to the model's average size, never null
 */
public record Auction(long id, String itemName, String description, long initialBid,
    long reserve, long dateTime, long expires, long seller, long category, String extra) {}
