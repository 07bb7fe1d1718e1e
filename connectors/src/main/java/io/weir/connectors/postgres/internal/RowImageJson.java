package io.weir.connectors.postgres.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import io.weir.connectors.postgres.Unavailable;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Jackson form of a change event's row image that keeps every value's Java type, so an event
 * that crosses nodes (CBOR) arrives equal: each value is written as {@code [tag, payload]}.
 */
public final class RowImageJson {
  private RowImageJson() {}

  /** Writes a row image. */
  public static final class Serializer extends JsonSerializer<Map<String, Object>> {
    @Override
    public void serialize(Map<String, Object> row, JsonGenerator gen, SerializerProvider sp)
        throws IOException {
      gen.writeStartObject();
      for (Map.Entry<String, Object> column : row.entrySet()) {
        gen.writeFieldName(column.getKey());
        write(column.getValue(), gen);
      }
      gen.writeEndObject();
    }
  }

  /** Reads a row image. */
  public static final class Deserializer extends JsonDeserializer<Map<String, Object>> {
    @Override
    public Map<String, Object> deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      Map<String, Object> row = new LinkedHashMap<>();
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        parser.nextToken();
        row.put(name, read(parser));
      }
      return row;
    }
  }

  private static void write(Object value, JsonGenerator gen) throws IOException {
    if (value == null) {
      gen.writeNull();
      return;
    }
    gen.writeStartArray();
    if (value instanceof String s) {
      gen.writeString("s");
      gen.writeString(s);
    } else if (value instanceof Short v) {
      gen.writeString("i2");
      gen.writeNumber(v);
    } else if (value instanceof Integer v) {
      gen.writeString("i4");
      gen.writeNumber(v);
    } else if (value instanceof Long v) {
      gen.writeString("i8");
      gen.writeNumber(v);
    } else if (value instanceof BigDecimal v) {
      gen.writeString("dec");
      gen.writeString(v.toString());
    } else if (value instanceof Float v) {
      gen.writeString("f4");
      gen.writeNumber(v);
    } else if (value instanceof Double v) {
      gen.writeString("f8");
      gen.writeNumber(v);
    } else if (value instanceof Boolean v) {
      gen.writeString("b");
      gen.writeBoolean(v);
    } else if (value instanceof byte[] v) {
      gen.writeString("bytes");
      gen.writeBinary(v);
    } else if (value instanceof List<?> list) {
      gen.writeString("list");
      gen.writeStartArray();
      for (Object element : list) {
        write(element, gen);
      }
      gen.writeEndArray();
    } else if (value == Unavailable.VALUE) {
      gen.writeString("unavailable");
      gen.writeNull();
    } else {
      gen.writeString(tag(value));
      gen.writeString(value.toString());
    }
    gen.writeEndArray();
  }

  private static String tag(Object value) {
    if (value instanceof LocalDate) {
      return "date";
    } else if (value instanceof LocalTime) {
      return "time";
    } else if (value instanceof LocalDateTime) {
      return "ts";
    } else if (value instanceof Instant) {
      return "tstz";
    } else if (value instanceof UUID) {
      return "uuid";
    }
    throw new IllegalArgumentException("a row value of type " + value.getClass().getName()
        + " cannot be written");
  }

  private static Object read(JsonParser parser) throws IOException {
    if (parser.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new IOException("a row value must be [tag, payload], got " + parser.currentToken());
    }
    String tag = parser.nextTextValue();
    parser.nextToken();
    Object value = switch (tag) {
      case "s" -> parser.getText();
      case "i2" -> parser.getShortValue();
      case "i4" -> parser.getIntValue();
      case "i8" -> parser.getLongValue();
      case "dec" -> new BigDecimal(parser.getText());
      case "f4" -> parser.getFloatValue();
      case "f8" -> parser.getDoubleValue();
      case "b" -> parser.getBooleanValue();
      case "bytes" -> parser.getBinaryValue();
      case "unavailable" -> Unavailable.VALUE;
      case "date" -> LocalDate.parse(parser.getText());
      case "time" -> LocalTime.parse(parser.getText());
      case "ts" -> LocalDateTime.parse(parser.getText());
      case "tstz" -> Instant.parse(parser.getText());
      case "uuid" -> UUID.fromString(parser.getText());
      case "list" -> {
        List<Object> list = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          list.add(read(parser));
        }
        yield Collections.unmodifiableList(list);
      }
      default -> throw new IOException("unknown row value tag " + tag);
    };
    if (parser.nextToken() != JsonToken.END_ARRAY) {
      throw new IOException("a row value must be [tag, payload]");
    }
    return value;
  }
}
