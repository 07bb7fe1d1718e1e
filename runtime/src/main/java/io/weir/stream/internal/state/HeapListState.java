package io.weir.stream.internal.state;

import io.weir.stream.api.state.ListState;
import io.weir.stream.api.state.ListStateDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A {@link ListState} kept on the heap. Each element has its own time to live (as in Flink): an
 * element added later outlives those added before it. {@link #get()} returns a copy.
 */
final class HeapListState<T> extends AbstractHeapState<List<TtlValue<T>>>
    implements ListState<T> {
  HeapListState(ListStateDescriptor<T> descriptor, KeyedStateBackend backend, Ttl ttl) {
    super(descriptor, backend, ttl);
  }

  /**
   * {@inheritDoc} Expired elements are removed; they are in the result only when the
   * visibility allows. The result is an unmodifiable copy.
   */
  @Override
  public Iterable<T> get() {
    List<TtlValue<T>> stored = entry();
    if (stored == null) {
      return null;
    }
    long now = ttl.now();
    List<T> result = new ArrayList<>(stored.size());
    boolean changed = false;
    for (Iterator<TtlValue<T>> it = stored.iterator(); it.hasNext(); ) {
      TtlValue<T> element = it.next();
      if (ttl.expired(element, now)) {
        it.remove();
        changed = true;
        if (ttl.returnsExpired()) {
          result.add(element.value());
        }
      } else {
        result.add(element.value());
      }
    }
    if (ttl.renewsOnRead()) {
      stored.replaceAll(element -> ttl.afterRead(element, now));
    }
    if (changed && stored.isEmpty()) {
      clear();
    }
    return result.isEmpty() ? null : Collections.unmodifiableList(result);
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code value} is null
   */
  @Override
  public void add(T value) {
    Objects.requireNonNull(value, () -> "a value added to " + describe() + " must not be null");
    append(List.of(value));
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code values} or one of them is null; then the list is
   *     unchanged
   */
  @Override
  public void update(List<T> values) {
    checkElements(values);
    clear();
    append(values);
  }

  /**
   * {@inheritDoc}
   *
   * @throws NullPointerException when {@code values} or one of them is null; then the list is
   *     unchanged
   */
  @Override
  public void addAll(List<T> values) {
    checkElements(values);
    append(values);
  }

  private void checkElements(List<T> values) {
    Objects.requireNonNull(values, () -> "the values for " + describe() + " must not be null");
    for (T value : values) {
      Objects.requireNonNull(value, () -> "a value added to " + describe() + " must not be null");
    }
  }

  private void append(List<T> values) {
    if (values.isEmpty()) {
      return;
    }
    List<TtlValue<T>> stored = entry();
    if (stored == null) {
      stored = new ArrayList<>(values.size());
      store(stored);
    }
    long now = ttl.now();
    for (T value : values) {
      stored.add(ttl.stamp(value, now));
    }
  }

  @Override
  int removeExpired(int keyGroup, Object key, long now, int limit) {
    List<TtlValue<T>> stored = table.get(keyGroup, key);
    if (stored == null) {
      return 0;
    }
    int removed = 0;
    for (Iterator<TtlValue<T>> it = stored.iterator(); it.hasNext() && removed < limit; ) {
      if (ttl.expired(it.next(), now)) {
        it.remove();
        removed++;
      }
    }
    if (stored.isEmpty()) {
      table.remove(keyGroup, key);
    }
    return removed;
  }
}
