package io.weir.stream.internal;

import io.weir.stream.api.KeySelector;
import io.weir.stream.api.NullKeyException;
import java.util.Objects;

/**
 * The planner's hook for a hash exchange: extracts a record's key, checks it, and finds its key
 * group and subtask. The runtime routes every record of a hash edge through one, so a key
 * selector that returns null fails the job with a {@link NullKeyException} naming the exchange
 * and the record, rather than a bare NullPointerException somewhere downstream. Stateless
 * besides its settings; thread-safe if the key selector is.
 *
 * @param <T> the record type
 */
public final class KeyRouter<T> {
  private static final int MAX_SHOWN = 200;

  private final String exchange;
  private final KeySelector<T, ?> selector;
  private final int maxParallelism;
  private final int parallelism;

  /**
   * Creates a router.
   *
   * @param exchange names the edge in messages, such as {@code 'Tokenize' -> 'Count'}
   * @param selector the edge's key selector, never null
   * @param maxParallelism the job's number of key groups
   * @param parallelism the target vertex's parallelism, from 1 to {@code maxParallelism}
   */
  public KeyRouter(String exchange, KeySelector<T, ?> selector, int maxParallelism,
      int parallelism) {
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    this.selector = Objects.requireNonNull(selector, "selector");
    KeyGroups.checkParallelism(maxParallelism, parallelism);
    this.maxParallelism = maxParallelism;
    this.parallelism = parallelism;
  }

  /**
   * The key of a record.
   *
   * @param record never null
   * @return never null
   * @throws NullKeyException when the selector returns null
   * @throws Exception what the selector throws
   */
  public Object keyOf(T record) throws Exception {
    Object key = selector.getKey(record);
    if (key == null) {
      String shown = String.valueOf(record);
      if (shown.length() > MAX_SHOWN) {
        shown = shown.substring(0, MAX_SHOWN) + "...";
      }
      throw new NullKeyException("the key selector of the exchange " + exchange
          + " returned null for the record " + shown
          + "; every record needs a key: filter or default such records before keyBy");
    }
    return key;
  }

  /** The key group of a record; see {@link #keyOf} for what it throws. */
  public int keyGroupOf(T record) throws Exception {
    return KeyGroups.assign(keyOf(record), maxParallelism);
  }

  /** The target subtask of a record; see {@link #keyOf} for what it throws. */
  public int subtaskOf(T record) throws Exception {
    return KeyGroups.subtaskOf(keyGroupOf(record), maxParallelism, parallelism);
  }
}
