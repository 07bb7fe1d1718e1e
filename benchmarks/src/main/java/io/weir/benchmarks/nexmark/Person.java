package io.weir.benchmarks.nexmark;

/**
 * A person of the Nexmark model: someone who opens auctions or bids (~200 bytes on average).
 *
 * @param id the person's id, from {@link NexmarkGenerator#FIRST_PERSON_ID} up
 * @param name never null
 * @param emailAddress never null
 * @param creditCard never null
 * @param city never null
 * @param state a US state code, never null
 * @param dateTime the event time, epoch milliseconds
 * @param extra padding to the model's average size, never null
 */
public record Person(long id, String name, String emailAddress, String creditCard, String city,
    String state, long dateTime, String extra) {}
