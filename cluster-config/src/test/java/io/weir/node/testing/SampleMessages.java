package io.weir.node.testing;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.weir.api.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Test-only messages that the serialization guard must find and round-trip, so the guard never
 * passes vacuously and exercises the awkward shapes: a nested record, a sealed interface used as a
 * component type, a {@code byte[]}, collections, optionals, enums and {@code java.time} values.
 */
public final class SampleMessages {
  private SampleMessages() {}

  /**
   * A sealed interface used as a component type. Jackson cannot choose a subtype of an abstract
   * type by itself, so the interface names its subtypes; without these annotations the guard fails.
   */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = Circle.class, name = "circle"),
      @JsonSubTypes.Type(value = Square.class, name = "square")})
  public sealed interface Shape extends CborSerializable permits Circle, Square {}

  /** A circle. @param radius its radius */
  public record Circle(double radius) implements Shape {}

  /**
   * A square with an optional label.
   *
   * @param side its side
   * @param label a label, or empty
   */
  public record Square(long side, Optional<String> label) implements Shape {}

  /** A colour of the palette. */
  public enum Colour { RED, GREEN, BLUE }

  /**
   * A layer of a drawing: a record nested in another, not itself a message.
   *
   * @param index its position
   * @param ids the ids of the shapes on it
   * @param fade how long it fades in, or empty
   */
  public record Layer(int index, Set<UUID> ids, Optional<Duration> fade) {}

  /**
   * A message with every awkward component kind.
   *
   * @param name its name
   * @param thumbnail raw bytes (records compare arrays by identity, the guard by content)
   * @param shapes shapes of a sealed type
   * @param frame one shape
   * @param layers nested records
   * @param palette an enum-valued map
   * @param drawnAt an instant
   */
  public record Drawing(String name, byte[] thumbnail, List<Shape> shapes, Shape frame,
      List<Layer> layers, Map<String, Colour> palette, Instant drawnAt)
      implements CborSerializable {
    /** Copies the collections. */
    public Drawing {
      shapes = List.copyOf(shapes);
      layers = List.copyOf(layers);
      palette = Map.copyOf(palette);
    }
  }
}
