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
