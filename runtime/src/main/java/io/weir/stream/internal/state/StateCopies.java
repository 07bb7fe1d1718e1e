package io.weir.stream.internal.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;

/**
 * Deep copies of state values that user functions change in place (the accumulators of
 * aggregating and reducing states), made by a round trip through CBOR, as a checkpoint writes
 * and a restore reads them: the copy is what a restore would give.
 */
final class StateCopies {
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
      .findAndRegisterModules();

  private StateCopies() {}

  /**
   * A copy of a state table's entry that shares nothing a caller may change with the original,
   * for copy-on-write snapshots: new cells, and each value copied unless immutable — a list, set
   * or map value shallowly (its elements are kept: the window operator's element lists and timer
   * owners hold immutable things), an array cloned, anything else deep-copied (CBOR). Code may
   * change a value it got from state in place, as Flink's heap backend allows.
   *
   * @param entry a {@link TtlValue}, or a list or map of them
   * @param state the state's name, for errors
   */
  @SuppressWarnings("unchecked")
  static <E> E copyEntry(E entry, String state) {
    if (entry instanceof TtlValue<?> cell) {
      return (E) copyCell(cell, state);
    } else if (entry instanceof java.util.List<?> list) {
      java.util.List<Object> copy = new java.util.ArrayList<>(list.size());
      for (Object cell : list) {
        copy.add(copyCell((TtlValue<?>) cell, state));
      }
      return (E) copy;
    } else if (entry instanceof java.util.Map<?, ?> map) {
      java.util.Map<Object, Object> copy = new java.util.LinkedHashMap<>();
      map.forEach((k, cell) -> copy.put(k, copyCell((TtlValue<?>) cell, state)));
      return (E) copy;
    }
    throw new IllegalStateException("unknown state entry " + entry.getClass());
  }

  private static TtlValue<?> copyCell(TtlValue<?> cell, String state) {
    Object value = cell.value();
    Object copy = copyValue(value, state);
    return copy == value ? cell : new TtlValue<>(copy, cell.timestamp());
  }

  private static Object copyValue(Object v, String state) {
    if (immutable(v)) {
      return v;
    } else if (v instanceof java.util.List<?> list) {
      return new java.util.ArrayList<>(list);
    } else if (v instanceof java.util.SortedMap<?, ?> map) {
      return new java.util.TreeMap<>(map);
    } else if (v instanceof java.util.Map<?, ?> map) {
      return new java.util.LinkedHashMap<>(map);
    } else if (v instanceof java.util.SortedSet<?> set) {
      return new java.util.TreeSet<>(set);
    } else if (v instanceof java.util.Set<?> set) {
      return new java.util.LinkedHashSet<>(set);
    } else if (v instanceof long[] a) {
      return a.clone();
    } else if (v instanceof int[] a) {
      return a.clone();
    } else if (v instanceof double[] a) {
      return a.clone();
    } else if (v instanceof byte[] a) {
      return a.clone();
    } else if (v instanceof Object[] a) {
      return a.clone();
    }
    return deepCopy(v, state);
  }

  /** Values no code can change in place: they need no copy. */
  static boolean immutable(Object v) {
    return v == null || v instanceof String || v instanceof Long || v instanceof Integer
        || v instanceof Short || v instanceof Byte || v instanceof Double || v instanceof Float
        || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>
        || v instanceof java.math.BigDecimal || v instanceof java.math.BigInteger
        || v instanceof java.util.UUID || v instanceof java.time.temporal.Temporal
        || v instanceof java.time.Duration || v instanceof Record;
  }

  /**
   * A deep copy of {@code value}.
   *
   * @throws StateFunctionException when the value cannot be written or read back
   */
  @SuppressWarnings("unchecked")
  static <T> T deepCopy(T value, String state) {
    if (value == null) {
      return null;
    }
    try {
      return (T) CBOR.readValue(CBOR.writeValueAsBytes(value), value.getClass());
    } catch (IOException e) {
      throw new StateFunctionException("the value of state '" + state + "' ("
          + value.getClass().getName() + ") cannot be copied for a checkpoint: " + e.getMessage(),
          e);
    }
  }
}
