package io.weir.stream.internal.windowing;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.weir.api.CborSerializable;
import java.util.Objects;

/**
 * An element of one of two joined streams, marked with its side, so that both can travel as
 * one stream through a union and a hash exchange. Crosses nodes as CBOR with the value's class.
 *
 * @param side 0 for the first (left) stream, 1 for the second
 * @param value the element, never null
 */
public record Tagged(int side,
    @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.WRAPPER_ARRAY)
    Object value) implements CborSerializable {
  /** Checks the side and value. */
  public Tagged {
    if (side != 0 && side != 1) {
      throw new IllegalArgumentException("a tagged element's side is 0 or 1, was " + side);
    }
    Objects.requireNonNull(value, "value");
  }
}
