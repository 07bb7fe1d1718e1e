package io.weir.connectors.transforms;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.log.api.Header;
import io.weir.log.api.ProducerRecord;
import io.weir.stream.api.LogRecordRouter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outbox event router (Debezium's {@code EventRouter}): a service writes its own rows and an
 * outbox row in one transaction; each inserted outbox row becomes a record on the topic of its
 * aggregate type ({@code prefix + aggregatetype}), keyed by the aggregate id, with the payload
 * as value and the event's id and type as headers. Updates and deletes of outbox rows (a service
 * clearing its outbox) publish nothing.
 *
 * <pre>{@code
 * job.fromSource(cdc, "Outbox").toLog(OutboxRouter.defaults());
 * }</pre>
 *
 * @param topicPrefix the topics' prefix, {@code outbox.event.} by default
 * @param idColumn the event id's column
 * @param aggregateTypeColumn the column whose value names the topic
 * @param aggregateIdColumn the column whose value keys the record
 * @param typeColumn the event type's column
 * @param payloadColumn the payload's column
 */
public record OutboxRouter(String topicPrefix, String idColumn, String aggregateTypeColumn,
    String aggregateIdColumn, String typeColumn, String payloadColumn)
    implements LogRecordRouter<ChangeEvent> {
  /** Checks the names. */
  public OutboxRouter {
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Objects.requireNonNull(idColumn, "idColumn");
    Objects.requireNonNull(aggregateTypeColumn, "aggregateTypeColumn");
    Objects.requireNonNull(aggregateIdColumn, "aggregateIdColumn");
    Objects.requireNonNull(typeColumn, "typeColumn");
    Objects.requireNonNull(payloadColumn, "payloadColumn");
  }

  /**
   * Debezium's defaults: prefix {@code outbox.event.}; columns id, aggregatetype, aggregateid,
   * type, payload.
   */
  public static OutboxRouter defaults() {
    return new OutboxRouter("outbox.event.", "id", "aggregatetype", "aggregateid", "type",
        "payload");
  }

  @Override
  public ProducerRecord route(ChangeEvent event) {
    if (event.op() != ChangeEvent.Operation.CREATE || event.after() == null) {
      return null;
    }
    Object aggregateType = event.after().get(aggregateTypeColumn);
    if (aggregateType == null) {
      throw new IllegalArgumentException("outbox row of " + event.source().table()
          + " has no '" + aggregateTypeColumn + "': " + event.after());
    }
    List<Header> headers = new ArrayList<>();
    Object id = event.after().get(idColumn);
    if (id != null) {
      headers.add(new Header("id", String.valueOf(id).getBytes(StandardCharsets.UTF_8)));
    }
    Object type = event.after().get(typeColumn);
    if (type != null) {
      headers.add(new Header("type", String.valueOf(type).getBytes(StandardCharsets.UTF_8)));
    }
    Object key = event.after().get(aggregateIdColumn);
    Object payload = event.after().get(payloadColumn);
    return ProducerRecord.of(topicPrefix + aggregateType,
            key == null ? null : String.valueOf(key).getBytes(StandardCharsets.UTF_8),
            payload == null ? null : String.valueOf(payload).getBytes(StandardCharsets.UTF_8))
        .withHeaders(headers);
  }
}
