package io.weir.stream.api;

import java.util.Objects;

/**
 * Names a side output of a process function: late records, errors, a second kind of result.
 * Two tags are the same output when their ids are equal.
 *
 * @param id the side output's name, never null or blank
 * @param type the type of its elements, never null
 * @param <X> the type of its elements
 */
public record OutputTag<X>(String id, Class<X> type) {
  /** Checks the id and type. */
  public OutputTag {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    if (id.isBlank()) {
      throw new IllegalArgumentException("an output tag's id must not be blank");
    }
  }
}
