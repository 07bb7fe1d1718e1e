package io.weir.node.testing;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Value equality for messages, looking inside records, arrays, lists, maps and optionals, so a
 * record with a {@code byte[]} component (whose generated {@code equals} compares array
 * identity) still compares by content. Other values, sets and map keys use their own {@code
 * equals}. Stateless and thread-safe.
 */
public final class ValueEquality {
  private ValueEquality() {}

  /**
   * Whether two values are equal by content.
   *
   * @param a a value, may be null
   * @param b a value, may be null
   * @return true if both are null, or equal as described in the class comment
   */
  public static boolean equivalent(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null || a.getClass() != b.getClass()) {
      return a != null && b != null && !a.getClass().isArray() && !a.getClass().isRecord()
          && sameContainer(a, b);
    }
    Class<?> c = a.getClass();
    if (c.isArray()) {
      int length = Array.getLength(a);
      if (length != Array.getLength(b)) {
        return false;
      }
      for (int i = 0; i < length; i++) {
        if (!equivalent(Array.get(a, i), Array.get(b, i))) {
          return false;
        }
      }
      return true;
    }
    if (c.isRecord()) {
      for (RecordComponent component : c.getRecordComponents()) {
        if (!equivalent(read(component, a), read(component, b))) {
          return false;
        }
      }
      return true;
    }
    return sameContainer(a, b);
  }

  /** Lists, maps and optionals of different implementation classes still compare by content. */
  private static boolean sameContainer(Object a, Object b) {
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext()) {
        if (!equivalent(i.next(), j.next())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      return x.entrySet().stream().allMatch(e -> equivalent(e.getValue(), y.get(e.getKey())));
    }
    if (a instanceof Optional<?> x && b instanceof Optional<?> y) {
      return x.isPresent() == y.isPresent() && (x.isEmpty() || equivalent(x.get(), y.get()));
    }
    return Objects.equals(a, b);
  }

  private static Object read(RecordComponent component, Object record) {
    try {
      var accessor = component.getAccessor();
      accessor.setAccessible(true);
      return accessor.invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + component + " of " + record, e);
    }
  }
}
