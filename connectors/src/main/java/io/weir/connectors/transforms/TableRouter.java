package io.weir.connectors.transforms;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.DebeziumJson;
import io.weir.log.api.ProducerRecord;
import io.weir.stream.api.LogRecordRouter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Routes change events to a log topic per table, as Debezium does: the topic from a pattern
 * ({@code ${db}}, {@code ${schema}}, {@code ${table}}), the value Debezium's JSON envelope, and
 * the key the row's key columns (as {@code col=value} pairs joined by {@code ,}) when they are
 * named, so all changes of a row land in one partition, in order.
 *
 * <pre>{@code
 * events.toLog(TableRouter.to("cdc.${schema}.${table}").keyedBy("orders", "id"));
 * }</pre>
 *
 * <p>Transaction boundary events (BEGIN, END; only from a source providing transaction
 * metadata) go to the topic set by {@link #withTransactionTopic}, keyed by the transaction id,
 * as Debezium's transaction topic; without one the router skips them.
 */
public final class TableRouter implements LogRecordRouter<ChangeEvent> {
  private final String pattern;
  private final Map<String, List<String>> keys;
  private final String transactionTopic;

  private TableRouter(String pattern, Map<String, List<String>> keys, String transactionTopic) {
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.keys = Map.copyOf(keys);
    this.transactionTopic = transactionTopic;
  }

  /**
   * This router, sending transaction BEGIN and END events to {@code topic} (Debezium's
   * {@code <topic.prefix>.transaction}).
   *
   * @param topic never null
   * @return a new router
   */
  public TableRouter withTransactionTopic(String topic) {
    return new TableRouter(pattern, keys, Objects.requireNonNull(topic, "topic"));
  }

  /**
   * A router to topics named by {@code pattern}.
   *
   * @param pattern such as {@code cdc.${schema}.${table}}
   * @return the router, keying no table yet
   */
  public static TableRouter to(String pattern) {
    return new TableRouter(pattern, Map.of(), null);
  }

  /**
   * This router, keying a table's records by these columns.
   *
   * @param table the table's name
   * @param columns its key columns
   * @return a new router
   */
  public TableRouter keyedBy(String table, String... columns) {
    Map<String, List<String>> more = new java.util.HashMap<>(keys);
    more.put(table, List.of(columns));
    return new TableRouter(pattern, more, transactionTopic);
  }

  /** The topic of an event's table. */
  public String topicOf(ChangeEvent event) {
    ChangeEvent.SourceInfo s = event.source();
    return pattern.replace("${db}", s.db()).replace("${schema}", s.schema())
        .replace("${table}", s.table());
  }

  @Override
  public ProducerRecord route(ChangeEvent event) {
    if (event.op() == ChangeEvent.Operation.BEGIN || event.op() == ChangeEvent.Operation.END) {
      if (transactionTopic == null) {
        return null;
      }
      return ProducerRecord.of(transactionTopic,
          event.transaction().id().getBytes(StandardCharsets.UTF_8),
          DebeziumJson.write(event, transactionTopic).getBytes(StandardCharsets.UTF_8));
    }
    String topic = topicOf(event);
    List<String> keyColumns = keys.get(event.source().table());
    String key = null;
    Map<String, Object> row = event.after() != null ? event.after() : event.before();
    if (keyColumns != null && row != null) {
      key = keyColumns.stream().map(c -> c + "=" + row.get(c))
          .collect(Collectors.joining(","));
    }
    byte[] value = DebeziumJson.write(event, topic).getBytes(StandardCharsets.UTF_8);
    return ProducerRecord.of(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value);
  }
}
