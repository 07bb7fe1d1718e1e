package io.weir.connectors.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Text output of PostgreSQL values to Java values. */
class ValueConverterTest {
  private final TypeRegistry types = TypeRegistry.empty();
  private final ValueConverter converter = new ValueConverter(types);

  @Test
  void scalars() {
    assertNull(converter.convert(23, null));
    assertEquals((short) -3, converter.convert(21, "-3"));
    assertEquals(7, converter.convert(23, "7"));
    assertEquals(9_000_000_000L, converter.convert(20, "9000000000"));
    assertEquals(new BigDecimal("12345.6700"), converter.convert(1700, "12345.6700"));
    assertEquals("NaN", converter.convert(1700, "NaN"));
    assertEquals(1.5f, converter.convert(700, "1.5"));
    assertEquals(Double.NEGATIVE_INFINITY, converter.convert(701, "-Infinity"));
    assertEquals(true, converter.convert(16, "t"));
    assertEquals(false, converter.convert(16, "f"));
    assertEquals("x", converter.convert(1043, "x"));
    assertEquals(LocalDate.of(2024, 2, 29), converter.convert(1082, "2024-02-29"));
    assertEquals("infinity", converter.convert(1082, "infinity"));
    assertEquals(LocalTime.of(13, 4, 5, 120_000_000), converter.convert(1083, "13:04:05.12"));
    assertEquals(LocalTime.of(13, 4, 5), converter.convert(1083, "13:04:05"));
    assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000),
        converter.convert(1114, "2024-01-02 03:04:05.000006"));
    assertEquals(Instant.parse("2024-01-02T03:04:05Z"),
        converter.convert(1184, "2024-01-02 03:04:05+00"));
    assertEquals(Instant.parse("2024-01-01T21:34:05.5Z"),
        converter.convert(1184, "2024-01-02 03:04:05.5+05:30"));
    UUID uuid = UUID.randomUUID();
    assertEquals(uuid, converter.convert(2950, uuid.toString()));
    assertEquals("{\"a\": 1}", converter.convert(3802, "{\"a\": 1}"));
    assertArrayEquals(new byte[] {1, 2, (byte) 0xab}, (byte[]) converter.convert(17, "\\x0102ab"));
    assertThrows(IllegalArgumentException.class, () -> converter.convert(23, "x"));
  }

  @Test
  void arraysEnumsAndDomains() {
    types.add(new TypeRegistry.PgType(1007, "_int4", 'b', 23, 0));
    types.add(new TypeRegistry.PgType(1009, "_text", 'b', 25, 0));
    types.add(new TypeRegistry.PgType(16500, "mood", 'e', 0, 0));
    types.add(new TypeRegistry.PgType(16501, "_mood", 'b', 16500, 0));
    types.add(new TypeRegistry.PgType(16600, "positive", 'd', 0, 23));
    assertEquals(Arrays.asList(1, null, 3), converter.convert(1007, "{1,NULL,3}"));
    assertEquals(List.of(), converter.convert(1007, "{}"));
    assertEquals(List.of(List.of(1, 2), List.of(3, 4)),
        converter.convert(1007, "{{1,2},{3,4}}"));
    assertEquals(List.of("a b", "c,\"d", "NULL", "e"),
        converter.convert(1009, "{\"a b\",\"c,\\\"d\",\"NULL\",e}"));
    assertEquals(List.of(5, 6), converter.convert(1007, "[0:1]={5,6}"));
    assertEquals("happy", converter.convert(16500, "happy"));
    assertEquals(List.of("happy", "sad"), converter.convert(16501, "{happy,sad}"));
    assertEquals(5, converter.convert(16600, "5"));
    assertEquals("(1,2)", converter.convert(600, "(1,2)"), "unknown types stay text");
  }

  @Test
  void endOfDayAndYearsPast9999AreKeptExactly() {
    ValueConverter converter = new ValueConverter(TypeRegistry.empty());
    assertEquals("24:00:00", converter.convert(ValueConverter.TIME, "24:00:00"));
    assertEquals(java.time.LocalDate.of(10000, 1, 2),
        converter.convert(ValueConverter.DATE, "10000-01-02"));
    assertEquals(java.time.LocalDateTime.of(12345, 6, 7, 8, 9, 10),
        converter.convert(ValueConverter.TIMESTAMP, "12345-06-07 08:09:10"));
    assertEquals(java.time.Instant.parse("+10000-01-01T00:00:00Z"),
        converter.convert(ValueConverter.TIMESTAMPTZ, "10000-01-01 00:00:00+00"));
  }
}
