package io.weir.connectors.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a {@link ChangeEvent} as the JSON value Debezium's PostgreSQL connector produces with
 * Kafka Connect's JSON converter and {@code schemas.enable=false}, for consumers written against
 * Debezium. Values follow Debezium's defaults ({@code time.precision.mode=adaptive}): date as
 * days since the epoch, time as microseconds of the day, timestamp as microseconds since the
 * epoch, timestamptz as an ISO-8601 string in UTC, bytea as base64, uuid and json as strings,
 * arrays as arrays, an unchanged TOASTed value as {@code __debezium_unavailable_value}.
 * Numerics are written as strings (Debezium's {@code decimal.handling.mode=string}), not its
 * default base64 of the unscaled value. With transaction metadata, a change carries Debezium's
 * {@code transaction} block, and BEGIN and END events are written as Debezium's transaction
 * topic values ({@code status}, {@code id}, {@code ts_ms}, {@code event_count},
 * {@code data_collections}). Thread-safe.
 */
public final class DebeziumJson {
  /** Debezium's placeholder for an unchanged TOASTed value. */
  public static final String UNAVAILABLE = "__debezium_unavailable_value";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private DebeziumJson() {}

  /**
   * The event as Debezium's JSON envelope.
   *
   * @param event never null
   * @param topicPrefix Debezium's {@code topic.prefix}, written as {@code source.name}, never null
   * @return the JSON text, never null
   * @throws IllegalArgumentException when a value has a type no column type gives
   */
  public static String write(ChangeEvent event, String topicPrefix) {
    ObjectNode root = NODES.objectNode();
    ChangeEvent.TransactionInfo tx = event.transaction();
    if (event.op() == ChangeEvent.Operation.BEGIN || event.op() == ChangeEvent.Operation.END) {
      // Debezium's transaction topic value.
      root.put("status", event.op().code());
      root.put("id", tx == null ? null : tx.id());
      root.put("ts_ms", event.source().tsMs());
      if (event.op() == ChangeEvent.Operation.BEGIN || tx == null) {
        root.putNull("event_count");
        root.putNull("data_collections");
      } else {
        root.put("event_count", tx.eventCount());
        ArrayNode collections = root.putArray("data_collections");
        tx.dataCollections().forEach((table, count) -> collections.addObject()
            .put("data_collection", table).put("event_count", count));
      }
      return text(root);
    }
    root.set("before", row(event.before()));
    root.set("after", row(event.after()));
    ChangeEvent.SourceInfo s = event.source();
    ObjectNode source = root.putObject("source");
    source.put("connector", s.connector());
    source.put("name", topicPrefix);
    source.put("ts_ms", s.tsMs());
    source.put("snapshot", s.snapshot());
    source.put("db", s.db());
    source.put("schema", s.schema());
    source.put("table", s.table());
    if (s.txId() == null) {
      source.putNull("txId");
    } else {
      source.put("txId", s.txId());
    }
    source.put("lsn", s.lsn());
    root.put("op", event.op().code());
    root.put("ts_ms", event.tsMs());
    if (tx != null) {
      root.putObject("transaction").put("id", tx.id()).put("total_order", tx.totalOrder())
          .put("data_collection_order", tx.dataCollectionOrder());
    }
    return text(root);
  }

  private static String text(ObjectNode root) {
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode row(Map<String, Object> row) {
    if (row == null) {
      return null;
    }
    ObjectNode node = NODES.objectNode();
    row.forEach((name, value) -> node.set(name, value(value)));
    return node;
  }

  private static com.fasterxml.jackson.databind.JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value == Unavailable.VALUE) {
      return NODES.textNode(UNAVAILABLE);
    } else if (value instanceof String || value instanceof UUID) {
      return NODES.textNode(value.toString());
    } else if (value instanceof Short v) {
      return NODES.numberNode(v);
    } else if (value instanceof Integer v) {
      return NODES.numberNode(v);
    } else if (value instanceof Long v) {
      return NODES.numberNode(v);
    } else if (value instanceof Float v) {
      return NODES.numberNode(v);
    } else if (value instanceof Double v) {
      return NODES.numberNode(v);
    } else if (value instanceof Boolean v) {
      return NODES.booleanNode(v);
    } else if (value instanceof BigDecimal v) {
      return NODES.textNode(v.toPlainString());
    } else if (value instanceof LocalDate v) {
      return NODES.numberNode(v.toEpochDay());
    } else if (value instanceof LocalTime v) {
      return NODES.numberNode(v.toNanoOfDay() / 1000);
    } else if (value instanceof LocalDateTime v) {
      return NODES.numberNode(ChronoUnit.MICROS.between(Instant.EPOCH, v.toInstant(
          ZoneOffset.UTC)));
    } else if (value instanceof Instant v) {
      return NODES.textNode(v.toString());
    } else if (value instanceof byte[] v) {
      return NODES.textNode(Base64.getEncoder().encodeToString(v));
    } else if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(element -> array.add(value(element)));
      return array;
    }
    throw new IllegalArgumentException("no Debezium form for " + value.getClass().getName());
  }
}
