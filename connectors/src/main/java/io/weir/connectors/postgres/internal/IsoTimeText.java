package io.weir.connectors.postgres.internal;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads the date and time text PostgreSQL writes with {@code DateStyle = ISO}
 * ({@code 2026-01-02}, {@code 13:04:05.123456}, {@code 2026-01-02 13:04:05.5+05:30}) straight
 * from its digits: {@code DateTimeFormatter} costs about a microsecond per value, the largest
 * share of a change's decoding. Each method returns null for any text outside that exact shape
 * (five-digit years, BC dates, other date styles), and the caller then parses it with its
 * formatter, which also gives the errors. Stateless and thread-safe.
 */
final class IsoTimeText {
  private IsoTimeText() {}

  /** {@code YYYY-MM-DD}, or null. */
  static LocalDate date(String text) {
    return text.length() == 10 ? date(text, 0) : null;
  }

  /** {@code HH:MM:SS[.fraction]}, or null. */
  static LocalTime time(String text) {
    return time(text, 0, text.length());
  }

  /** {@code YYYY-MM-DD HH:MM:SS[.fraction]}, or null. */
  static LocalDateTime timestamp(String text) {
    if (text.length() < 19 || text.charAt(10) != ' ') {
      return null;
    }
    LocalDate day = date(text, 0);
    LocalTime time = day == null ? null : time(text, 11, text.length());
    return time == null ? null : LocalDateTime.of(day, time);
  }

  /** {@code YYYY-MM-DD HH:MM:SS[.fraction]±HH[:MM[:SS]]}, or null. */
  static OffsetDateTime timestampWithZone(String text) {
    int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
    if (sign < 19 || text.length() < 19 || text.charAt(10) != ' ') {
      return null;
    }
    LocalDate day = date(text, 0);
    LocalTime time = day == null ? null : time(text, 11, sign);
    if (time == null) {
      return null;
    }
    int seconds = 0;
    int pos = sign + 1;
    for (int unit = 3600; unit >= 1; unit /= 60) {
      if (unit < 3600) {
        if (pos == text.length()) {
          break;
        }
        if (text.charAt(pos++) != ':') {
          return null;
        }
      }
      int v = twoDigits(text, pos);
      if (v < 0) {
        return null;
      }
      seconds += v * unit;
      pos += 2;
    }
    if (pos != text.length()) {
      return null;
    }
    try {
      return OffsetDateTime.of(day, time,
          ZoneOffset.ofTotalSeconds(text.charAt(sign) == '-' ? -seconds : seconds));
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static LocalDate date(String text, int at) {
    if (text.length() < at + 10 || text.charAt(at + 4) != '-' || text.charAt(at + 7) != '-') {
      return null;
    }
    int year1 = twoDigits(text, at);
    int year2 = twoDigits(text, at + 2);
    int month = twoDigits(text, at + 5);
    int day = twoDigits(text, at + 8);
    if (year1 < 0 || year2 < 0 || month < 0 || day < 0) {
      return null;
    }
    try {
      return LocalDate.of(year1 * 100 + year2, month, day);
    } catch (DateTimeException e) {
      return null;
    }
  }

  private static LocalTime time(String text, int at, int end) {
    if (end - at < 8 || text.charAt(at + 2) != ':' || text.charAt(at + 5) != ':') {
      return null;
    }
    int hour = twoDigits(text, at);
    int minute = twoDigits(text, at + 3);
    int second = twoDigits(text, at + 6);
    if (hour < 0 || minute < 0 || second < 0 || hour > 23) {
      return null; // 24:00:00 is the caller's to handle
    }
    int nanos = 0;
    int pos = at + 8;
    if (pos < end) {
      if (text.charAt(pos++) != '.' || pos == end || end - pos > 9) {
        return null;
      }
      int digits = 0;
      for (; pos < end; pos++, digits++) {
        int d = text.charAt(pos) - '0';
        if (d < 0 || d > 9) {
          return null;
        }
        nanos = nanos * 10 + d;
      }
      for (; digits < 9; digits++) {
        nanos *= 10;
      }
    }
    try {
      return LocalTime.of(hour, minute, second, nanos);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The two decimal digits at {@code at}, or -1. */
  private static int twoDigits(String text, int at) {
    if (at + 1 >= text.length()) {
      return -1;
    }
    int a = text.charAt(at) - '0';
    int b = text.charAt(at + 1) - '0';
    return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
  }
}
