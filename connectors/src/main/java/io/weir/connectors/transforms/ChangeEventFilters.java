package io.weir.connectors.transforms;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.stream.api.FilterFunction;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Filters of change events, for {@code DataStream.filter}. */
public final class ChangeEventFilters {
  private ChangeEventFilters() {}

  /**
   * Keeps the events of these tables.
   *
   * @param tables {@code schema.table}, or {@code table} for the {@code public} schema
   * @return the filter
   */
  public static FilterFunction<ChangeEvent> tables(String... tables) {
    Set<String> wanted = Set.copyOf(List.of(tables).stream()
        .map(t -> t.contains(".") ? t : "public." + t).toList());
    return e -> wanted.contains(e.source().schema() + "." + e.source().table());
  }

  /**
   * Keeps the events of these operations.
   *
   * @param first an operation
   * @param more more operations
   * @return the filter
   */
  public static FilterFunction<ChangeEvent> operations(ChangeEvent.Operation first,
      ChangeEvent.Operation... more) {
    Set<ChangeEvent.Operation> wanted = EnumSet.of(first, more);
    return e -> wanted.contains(e.op());
  }
}
