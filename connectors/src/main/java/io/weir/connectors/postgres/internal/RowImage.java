package io.weir.connectors.postgres.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row image as {@code ChangeEvent} holds it: an immutable map of column names, in table order,
 * to values (null allowed), kept as two arrays — the names shared by every row of a relation,
 * the values of this row. Building one costs one array instead of a hash map's table and an
 * entry per column, and {@code ChangeEvent} keeps it without copying. Thread-safe (immutable).
 */
public final class RowImage extends AbstractMap<String, Object> {
  private final String[] names;
  private final Object[] values;

  /**
   * A row; the arrays are kept, not copied: the caller must not change them afterwards.
   *
   * @param names column names, distinct, never null (may be shared between rows)
   * @param values the values, as many as names
   */
  public RowImage(String[] names, Object[] values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException(names.length + " names for " + values.length
          + " values");
    }
    this.names = names;
    this.values = values;
  }

  /** {@code map} as a row image: itself when it is one, a copy in its iteration order else. */
  public static RowImage copyOf(Map<String, Object> map) {
    if (map instanceof RowImage row) {
      return row;
    }
    String[] names = new String[map.size()];
    Object[] values = new Object[names.length];
    int i = 0;
    for (Map.Entry<String, Object> entry : map.entrySet()) {
      names[i] = entry.getKey();
      values[i++] = entry.getValue();
    }
    return new RowImage(names, values);
  }

  private int indexOf(Object name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Object get(Object name) {
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object name) {
    return indexOf(name) >= 0;
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= names.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(names[i], values[i]);
          }
        };
      }

      @Override
      public int size() {
        return names.length;
      }
    };
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < names.length; i++) {
      Object v = values[i];
      h += names[i].hashCode() ^ (v == null ? 0 : v.hashCode());
    }
    return h;
  }
}
