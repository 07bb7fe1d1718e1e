package io.weir.connectors.postgres.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Turns PostgreSQL's text output of a value into a Java value by the type's oid. The same text
 * comes from {@code pgoutput} tuples and from the snapshot's {@code getString}, so both paths
 * give equal values. Thread-safe.
 */
public final class ValueConverter {
  static final int BOOL = 16;
  static final int BYTEA = 17;
  static final int CHAR = 18;
  static final int NAME = 19;
  static final int INT8 = 20;
  static final int INT2 = 21;
  static final int INT4 = 23;
  static final int TEXT = 25;
  static final int OID = 26;
  static final int JSON = 114;
  static final int FLOAT4 = 700;
  static final int FLOAT8 = 701;
  static final int BPCHAR = 1042;
  static final int VARCHAR = 1043;
  static final int DATE = 1082;
  static final int TIME = 1083;
  static final int TIMESTAMP = 1114;
  static final int TIMESTAMPTZ = 1184;
  static final int NUMERIC = 1700;
  static final int UUID_OID = 2950;
  static final int JSONB = 3802;

  /** ISO dates, but years past 9999 without a sign, as PostgreSQL writes them. */
  private static final DateTimeFormatter DATE_FORMAT = new DateTimeFormatterBuilder()
      .appendValue(ChronoField.YEAR, 4, 9, java.time.format.SignStyle.NORMAL)
      .appendLiteral('-').appendValue(ChronoField.MONTH_OF_YEAR, 2)
      .appendLiteral('-').appendValue(ChronoField.DAY_OF_MONTH, 2).toFormatter();
  private static final DateTimeFormatter LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
      .append(DATE_FORMAT).appendLiteral(' ')
      .append(DateTimeFormatter.ISO_LOCAL_TIME).toFormatter();
  private static final DateTimeFormatter OFFSET_DATE_TIME = new DateTimeFormatterBuilder()
      .append(LOCAL_DATE_TIME).appendOffset("+HH:mm:ss", "+00").toFormatter();
  private static final DateTimeFormatter TIME_OF_DAY = new DateTimeFormatterBuilder()
      .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
      .appendValue(ChronoField.MINUTE_OF_HOUR, 2).appendLiteral(':')
      .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter();

  private final TypeRegistry types;

  /** A converter that looks up enums, domains and array element types in {@code types}. */
  public ValueConverter(TypeRegistry types) {
    this.types = types;
  }

  /**
   * Converts a value.
   *
   * @param typeOid the column's type
   * @param text the value's text output; null for SQL NULL
   * @return the Java value (see {@code ChangeEvent}), null for null
   */
  public Object convert(int typeOid, String text) {
    if (text == null) {
      return null;
    }
    try {
      return switch (typeOid) {
        case BOOL -> "t".equals(text) || "true".equals(text);
        case INT2 -> Short.valueOf(text);
        case INT4 -> Integer.valueOf(text);
        case INT8, OID -> Long.valueOf(text);
        case FLOAT4 -> Float.valueOf(text);
        case FLOAT8 -> Double.valueOf(text);
        case NUMERIC -> "NaN".equals(text) || text.endsWith("Infinity") ? text
            : new BigDecimal(text);
        case DATE -> date(text);
        case TIME -> time(text);
        case TIMESTAMP -> timestamp(text);
        case TIMESTAMPTZ -> timestampWithZone(text);
        case UUID_OID -> UUID.fromString(text);
        case BYTEA -> bytea(text);
        case TEXT, VARCHAR, BPCHAR, NAME, CHAR, JSON, JSONB -> text;
        default -> other(typeOid, text);
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("cannot read '" + text + "' as type " + typeOid, e);
    }
  }

  /** The type's name in {@code pg_type}, or its oid as text when the registry lacks it. */
  public String typeName(int typeOid) {
    TypeRegistry.PgType type = types.get(typeOid);
    return type != null ? type.name() : Integer.toString(typeOid);
  }

  private Object other(int typeOid, String text) {
    TypeRegistry.PgType type = types.get(typeOid);
    if (type == null) {
      return text;
    }
    if (type.elementOid() != 0 && (text.startsWith("{") || text.startsWith("["))) {
      return array(type.elementOid(), text);
    }
    if (type.kind() == 'd' && type.baseOid() != 0) {
      return convert(type.baseOid(), text);
    }
    return text; // enums and every type without a mapping
  }

  // The common shapes are read by IsoTimeText; the formatters take the rest and give the errors.

  private static Object date(String text) {
    LocalDate day = IsoTimeText.date(text);
    return day != null ? day : special(text) ? text : LocalDate.parse(text, DATE_FORMAT);
  }

  private static Object time(String text) {
    LocalTime time = IsoTimeText.time(text);
    // 24:00:00 is a valid time that LocalTime cannot hold: kept as its text.
    return time != null ? time : text.startsWith("24:") ? text
        : LocalTime.parse(text, TIME_OF_DAY);
  }

  private static Object timestamp(String text) {
    LocalDateTime at = IsoTimeText.timestamp(text);
    return at != null ? at : special(text) ? text : LocalDateTime.parse(text, LOCAL_DATE_TIME);
  }

  private static Object timestampWithZone(String text) {
    java.time.OffsetDateTime at = IsoTimeText.timestampWithZone(text);
    return at != null ? at.toInstant() : special(text) ? text
        : OFFSET_DATE_TIME.parse(text, java.time.OffsetDateTime::from).toInstant();
  }

  private static boolean special(String text) {
    return text.equals("infinity") || text.equals("-infinity") || text.endsWith(" BC");
  }

  private static byte[] bytea(String text) {
    if (text.startsWith("\\x")) {
      return HexFormat.of().parseHex(text, 2, text.length());
    }
    throw new IllegalArgumentException("bytea in escape format; set bytea_output = hex");
  }

  /** Parses an array literal such as {@code {1,2,NULL}} or {@code {{"a b",c},{d,e}}}. */
  List<Object> array(int elementOid, String text) {
    int start = 0;
    if (text.startsWith("[")) { // explicit bounds: [0:2]={...}
      start = text.indexOf('=') + 1;
    }
    ArrayParser parser = new ArrayParser(text, start, elementOid);
    return parser.parse();
  }

  private final class ArrayParser {
    private final String text;
    private final int elementOid;
    private int pos;

    ArrayParser(String text, int pos, int elementOid) {
      this.text = text;
      this.pos = pos;
      this.elementOid = elementOid;
    }

    List<Object> parse() {
      expect('{');
      List<Object> values = new ArrayList<>();
      if (text.charAt(pos) == '}') {
        pos++;
        return Collections.unmodifiableList(values);
      }
      while (true) {
        char c = text.charAt(pos);
        if (c == '{') {
          values.add(parse());
        } else if (c == '"') {
          values.add(convert(elementOid, quoted()));
        } else {
          int end = pos;
          while (text.charAt(end) != ',' && text.charAt(end) != '}') {
            end++;
          }
          String raw = text.substring(pos, end).strip();
          pos = end;
          values.add("NULL".equals(raw) ? null : convert(elementOid, raw));
        }
        char next = text.charAt(pos++);
        if (next == '}') {
          return Collections.unmodifiableList(values);
        }
        if (next != ',') {
          throw new IllegalArgumentException("bad array literal " + text);
        }
      }
    }

    private String quoted() {
      expect('"');
      StringBuilder value = new StringBuilder();
      for (char c = text.charAt(pos++); c != '"'; c = text.charAt(pos++)) {
        value.append(c == '\\' ? text.charAt(pos++) : c);
      }
      return value.toString();
    }

    private void expect(char c) {
      if (text.charAt(pos++) != c) {
        throw new IllegalArgumentException("bad array literal " + text);
      }
    }
  }
}
