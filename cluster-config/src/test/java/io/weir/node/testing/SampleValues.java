package io.weir.node.testing;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Builds a sample instance of a message type by reflection, for tests that must exercise every
 * message type without hand-writing one of each (the serialization guard).
 *
 * <p>Records are built through their canonical constructor, each component filled from its
 * generic type: primitives and their boxes, {@code String}, {@code UUID}, {@code BigDecimal},
 * {@code BigInteger}, arrays (including {@code byte[]}), enums (the first constant), {@code
 * List}, {@code Set}, {@code Map}, {@code Collection} (one element), {@code Optional} (present),
 * the common {@code java.time} types, nested records, and sealed interfaces or classes (the first
 * permitted subtype that can be built). A type declared as {@code Object} gets a string. Types
 * that none of these cover (an {@code ActorRef}, a domain class that is not a record) come from
 * samples registered with {@link #withSample}; the most specific registered supertype wins.
 *
 * <p>Values are deterministic. Instances are immutable and thread-safe; {@link #withSample}
 * returns a new instance.
 */
public final class SampleValues {
  /** Nesting deeper than this yields empty collections and optionals, so recursive types end. */
  private static final int MAX_DEPTH = 8;

  /** Values of the leaf types, deterministic; time values are UTC so they survive Jackson. */
  private static final Map<Class<?>, Object> SIMPLE = Map.ofEntries(
      Map.entry(Boolean.class, true),
      Map.entry(Byte.class, (byte) 7),
      Map.entry(Short.class, (short) 300),
      Map.entry(Integer.class, 42),
      Map.entry(Long.class, 1L << 40),
      Map.entry(Float.class, 1.5f),
      Map.entry(Double.class, 2.25),
      Map.entry(Character.class, 'w'),
      Map.entry(String.class, "sample"),
      Map.entry(CharSequence.class, "sample"),
      Map.entry(UUID.class, UUID.fromString("00000000-0000-4000-8000-000000000042")),
      Map.entry(BigDecimal.class, new BigDecimal("12345.678")),
      Map.entry(BigInteger.class, BigInteger.TWO.pow(70)),
      Map.entry(Instant.class, Instant.parse("2026-11-23T12:34:56.789Z")),
      Map.entry(Duration.class, Duration.ofMillis(1500)),
      Map.entry(LocalDate.class, LocalDate.of(2026, 11, 23)),
      Map.entry(LocalTime.class, LocalTime.of(12, 34, 56)),
      Map.entry(LocalDateTime.class, LocalDateTime.of(2026, 11, 23, 12, 34, 56)),
      Map.entry(OffsetDateTime.class, OffsetDateTime.of(2026, 11, 23, 12, 34, 56, 0, ZoneOffset.UTC)),
      Map.entry(ZonedDateTime.class, ZonedDateTime.of(2026, 11, 23, 12, 34, 56, 0, ZoneOffset.UTC)),
      Map.entry(OptionalInt.class, OptionalInt.of(42)),
      Map.entry(OptionalLong.class, OptionalLong.of(42L)),
      Map.entry(Optional.class, Optional.of("sample")));

  private final Map<Class<?>, Supplier<?>> registered;

  private SampleValues(Map<Class<?>, Supplier<?>> registered) {
    this.registered = Map.copyOf(registered);
  }

  /** A builder with only the built-in kinds of values. */
  public static SampleValues create() {
    return new SampleValues(Map.of());
  }

  /**
   * Returns a builder that uses {@code sample} for {@code type} and for every type assignable to
   * it that has no more specific registration.
   *
   * @param type the declared type to fill, never null
   * @param sample supplies the value, called once per use, never null
   * @param <T> the type
   * @return a new builder with the registration added
   */
  public <T> SampleValues withSample(Class<T> type, Supplier<? extends T> sample) {
    Map<Class<?>, Supplier<?>> more = new HashMap<>(registered);
    more.put(type, sample);
    return new SampleValues(more);
  }

  /**
   * Builds a sample of {@code type}.
   *
   * @param type a concrete record or enum, or any type this class can fill, never null
   * @param <T> the type
   * @return a sample value, never null
   * @throws IllegalArgumentException naming the type and the component path if some part of the
   *     type cannot be built
   */
  @SuppressWarnings("unchecked")
  public <T> T sampleOf(Class<T> type) {
    return (T) build(type, type.getSimpleName(), 0);
  }

  /**
   * Builds a sample of a generic type, such as a {@code List<String>}.
   *
   * @param type the type, never null
   * @return a sample value, never null
   * @throws IllegalArgumentException naming the type if it cannot be built
   */
  public Object sampleOf(Type type) {
    return build(type, type.getTypeName(), 0);
  }

  private Object build(Type type, String path, int depth) {
    if (type instanceof Class<?> c) {
      return buildClass(c, path, depth);
    }
    if (type instanceof ParameterizedType p) {
      return buildParameterized(p, path, depth);
    }
    if (type instanceof GenericArrayType g) {
      Object element = build(g.getGenericComponentType(), path + "[0]", depth + 1);
      Object array = Array.newInstance(element.getClass(), 1);
      Array.set(array, 0, element);
      return array;
    }
    if (type instanceof WildcardType w) {
      return build(w.getUpperBounds()[0], path, depth);
    }
    if (type instanceof TypeVariable<?> v) {
      return build(v.getBounds()[0], path, depth);
    }
    throw cannot(type, path, "unknown kind of type");
  }

  private Object buildParameterized(ParameterizedType p, String path, int depth) {
    Class<?> raw = (Class<?>) p.getRawType();
    Type[] args = p.getActualTypeArguments();
    boolean deep = depth >= MAX_DEPTH;
    if (raw == Optional.class) {
      return deep ? Optional.empty() : Optional.of(build(args[0], path + ".get()", depth + 1));
    }
    if (SortedSet.class.isAssignableFrom(raw)) {
      return deep ? new TreeSet<>() : new TreeSet<>(Set.of(build(args[0], path + "[0]", depth + 1)));
    }
    if (raw == Set.class) {
      return deep ? Set.of() : Set.of(build(args[0], path + "[0]", depth + 1));
    }
    if (raw == List.class || raw == Collection.class || raw == Iterable.class) {
      return deep ? List.of() : List.of(build(args[0], path + "[0]", depth + 1));
    }
    if (SortedMap.class.isAssignableFrom(raw)) {
      return deep ? new TreeMap<>() : new TreeMap<>(Map.of(
          build(args[0], path + ".key", depth + 1), build(args[1], path + ".value", depth + 1)));
    }
    if (raw == Map.class) {
      return deep ? Map.of() : Map.of(
          build(args[0], path + ".key", depth + 1), build(args[1], path + ".value", depth + 1));
    }
    if (raw == ArrayList.class) {
      return new ArrayList<>(deep ? List.of() : List.of(build(args[0], path + "[0]", depth + 1)));
    }
    return buildClass(raw, path, depth);
  }

  private Object buildClass(Class<?> c, String path, int depth) {
    Supplier<?> supplier = registeredFor(c);
    if (supplier != null) {
      return supplier.get();
    }
    Object simple = simpleValue(c);
    if (simple != null) {
      return simple;
    }
    if (c.isArray()) {
      Object element = build(c.getComponentType(), path + "[0]", depth + 1);
      Object array = Array.newInstance(c.getComponentType(), 1);
      Array.set(array, 0, element);
      return array;
    }
    if (c.isEnum()) {
      Object[] constants = c.getEnumConstants();
      if (constants.length == 0) {
        throw cannot(c, path, "the enum has no constants");
      }
      return constants[0];
    }
    if (c.isRecord()) {
      return buildRecord(c, path, depth);
    }
    if (c.isSealed()) {
      return buildSealed(c, path, depth);
    }
    if (c == Object.class) {
      return "sample";
    }
    throw cannot(c, path, c.isInterface() || Modifier.isAbstract(c.getModifiers())
        ? "an open interface or abstract class has no sample; make it sealed or register one"
        : "not a record, enum or sealed type; register a sample with SampleValues.withSample");
  }

  private Object buildRecord(Class<?> c, String path, int depth) {
    if (depth > MAX_DEPTH * 2) {
      throw cannot(c, path, "the record refers to itself without a collection or Optional to end it");
    }
    RecordComponent[] components = c.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
      values[i] = build(components[i].getGenericType(), path + "." + components[i].getName(),
          depth + 1);
    }
    try {
      Constructor<?> constructor = c.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("cannot build a sample of " + c.getName() + " at " + path
          + ": its constructor rejected the sample values: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalArgumentException("cannot build a sample of " + c.getName() + " at " + path
          + ": " + e, e);
    }
  }

  private Object buildSealed(Class<?> c, String path, int depth) {
    IllegalArgumentException last = null;
    for (Class<?> permitted : c.getPermittedSubclasses()) {
      try {
        return buildClass(permitted, path, depth);
      } catch (IllegalArgumentException e) {
        last = e;
      }
    }
    throw last != null ? last : cannot(c, path, "the sealed type permits no subtype");
  }

  private Supplier<?> registeredFor(Class<?> c) {
    Supplier<?> exact = registered.get(c);
    if (exact != null) {
      return exact;
    }
    Class<?> best = null;
    for (Class<?> candidate : registered.keySet()) {
      if (candidate.isAssignableFrom(c) && (best == null || best.isAssignableFrom(candidate))) {
        best = candidate;
      }
    }
    return best == null ? null : registered.get(best);
  }

  private static Object simpleValue(Class<?> c) {
    return SIMPLE.get(box(c));
  }

  private static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    return Array.get(Array.newInstance(c, 1), 0).getClass();
  }

  private static IllegalArgumentException cannot(Type type, String path, String why) {
    return new IllegalArgumentException(
        "cannot build a sample of " + type.getTypeName() + " at " + path + ": " + why);
  }
}
