package io.weir.connectors.postgres.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast reader of ISO date and time text agrees with the formatters, or declines. */
class IsoTimeTextTest {

  /** PostgreSQL's ISO output: fraction without trailing zeros, offset as short as it goes. */
  private static String pg(LocalDateTime at, int offsetSeconds) {
    String text = at.toLocalDate() + " " + pgTime(at.toLocalTime());
    if (offsetSeconds == Integer.MIN_VALUE) {
      return text;
    }
    int abs = Math.abs(offsetSeconds);
    String offset = (offsetSeconds < 0 ? "-" : "+") + two(abs / 3600);
    if (abs % 3600 != 0) {
      offset += ":" + two(abs % 3600 / 60);
      if (abs % 60 != 0) {
        offset += ":" + two(abs % 60);
      }
    }
    return text + offset;
  }

  private static String pgTime(LocalTime t) {
    String text = two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond());
    if (t.getNano() != 0) {
      String fraction = String.format("%09d", t.getNano()).replaceAll("0+$", "");
      text += "." + fraction;
    }
    return text;
  }

  private static String two(int v) {
    return v < 10 ? "0" + v : Integer.toString(v);
  }

  @Test
  void readsWhatPostgresWritesAsTheFormattersDo() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      LocalDateTime at = LocalDateTime.of(1 + random.nextInt(9999), 1 + random.nextInt(12),
          1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60),
          random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000) * 1000);
      int offset = (random.nextInt(4) == 0 ? random.nextInt(50_000)
          : random.nextInt(29) * 1800) * (random.nextBoolean() ? 1 : -1);
      offset = Math.max(-18 * 3600, Math.min(18 * 3600, offset));
      String message = "seed " + seed + ": ";
      assertEquals(at.toLocalDate(), IsoTimeText.date(at.toLocalDate().toString()), message);
      assertEquals(at.toLocalTime(), IsoTimeText.time(pgTime(at.toLocalTime())), message);
      assertEquals(at, IsoTimeText.timestamp(pg(at, Integer.MIN_VALUE)), message);
      assertEquals(OffsetDateTime.of(at, ZoneOffset.ofTotalSeconds(offset)),
          IsoTimeText.timestampWithZone(pg(at, offset)), message + pg(at, offset));
    }
  }

  @Test
  void declinesOtherShapesForTheFormattersToHandle() {
    assertNull(IsoTimeText.date("12345-01-01"));
    assertNull(IsoTimeText.date("0044-03-15 BC"));
    assertNull(IsoTimeText.date("infinity"));
    assertNull(IsoTimeText.date("2024-02-30"));
    assertNull(IsoTimeText.time("24:00:00"));
    assertNull(IsoTimeText.time("13:04"));
    assertNull(IsoTimeText.time("13:04:05.1234567890"));
    assertNull(IsoTimeText.timestamp("0044-03-15 12:00:00 BC"));
    assertNull(IsoTimeText.timestamp("-infinity"));
    assertNull(IsoTimeText.timestampWithZone("0044-03-15 12:00:00+00 BC"));
    assertNull(IsoTimeText.timestampWithZone("2024-01-02 03:04:05"));
    assertNull(IsoTimeText.timestampWithZone("2024-01-02 03:04:05+5"));
    assertEquals(LocalDate.of(2024, 2, 29), IsoTimeText.date("2024-02-29"));
  }
}
