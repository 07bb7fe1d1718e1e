package io.weir.node.testing;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.weir.api.CborSerializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
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

  /**
   * A circle.
   *
   * @param radius its radius
   */
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

  /**
   * A message of every leaf type the sample builder knows, so the guard checks that each survives
   * Jackson CBOR with Pekko's modules (java.time, Jdk8) unchanged.
   *
   * @param flag a boolean
   * @param tiny a byte
   * @param small a short
   * @param letter a char
   * @param ratio a float
   * @param count a boxed long
   * @param id a UUID
   * @param price a BigDecimal
   * @param huge a BigInteger
   * @param at an Instant
   * @param day a LocalDate
   * @param time a LocalTime
   * @param local a LocalDateTime
   * @param offset an OffsetDateTime
   * @param zoned a ZonedDateTime
   * @param maybeInt an OptionalInt
   * @param maybeLong an OptionalLong
   * @param colours an enum set
   * @param sorted a sorted map
   * @param matrix a nested array
   */
  public record Scalars(boolean flag, byte tiny, short small, char letter, float ratio, Long count,
      UUID id, BigDecimal price, BigInteger huge, Instant at, LocalDate day, LocalTime time,
      LocalDateTime local, OffsetDateTime offset, ZonedDateTime zoned, OptionalInt maybeInt,
      OptionalLong maybeLong, Set<Colour> colours, SortedMap<String, Long> sorted, int[][] matrix)
      implements CborSerializable {}
}
