package io.weir.stream.internal.windowing;

import io.weir.stream.api.KeySelector;

/**
 * The key of a tagged element: its side's key selector applied to its value.
 *
 * @param first the first stream's key selector
 * @param second the second stream's key selector
 * @param <K> the key type
 */
record TaggedKeySelector<K>(KeySelector<Object, K> first, KeySelector<Object, K> second)
    implements KeySelector<Tagged, K> {
  @Override
  public K getKey(Tagged value) throws Exception {
    return value.side() == 0 ? first.getKey(value.value()) : second.getKey(value.value());
  }

  /** Selects the keys of both sides. */
  @SuppressWarnings("unchecked")
  static <K> TaggedKeySelector<K> of(KeySelector<?, K> first, KeySelector<?, K> second) {
    return new TaggedKeySelector<>((KeySelector<Object, K>) first,
        (KeySelector<Object, K>) second);
  }
}
