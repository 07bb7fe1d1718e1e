package io.weir.connectors.postgres.internal;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.connectors.postgres.ChangeEvent.Operation;
import io.weir.connectors.postgres.ChangeEvent.SourceInfo;
import io.weir.connectors.postgres.TableSchema;
import io.weir.connectors.postgres.Unavailable;
import io.weir.connectors.postgres.internal.PgOutputMessage.Begin;
import io.weir.connectors.postgres.internal.PgOutputMessage.Column;
import io.weir.connectors.postgres.internal.PgOutputMessage.Delete;
import io.weir.connectors.postgres.internal.PgOutputMessage.Insert;
import io.weir.connectors.postgres.internal.PgOutputMessage.Relation;
import io.weir.connectors.postgres.internal.PgOutputMessage.Text;
import io.weir.connectors.postgres.internal.PgOutputMessage.Truncate;
import io.weir.connectors.postgres.internal.PgOutputMessage.TupleValue;
import io.weir.connectors.postgres.internal.PgOutputMessage.UnchangedToast;
import io.weir.connectors.postgres.internal.PgOutputMessage.Update;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns decoded row messages into {@link ChangeEvent}s: keeps the relations the server
 * described and converts tuple values by column type. Not thread-safe: one per stream.
 */
public final class ChangeEventAssembler {
  /** Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private final String database;
  private final ValueConverter converter;
  private final Clock clock;
  private final Map<Integer, Relation> relations = new HashMap<>();
  /** Per relation (until its next description): column names shared by its rows, its schema. */
  private final Map<Integer, Shape> shapes = new HashMap<>();

  private record Shape(String[] names, TableSchema schema) {}

  /**
   * @param database the database name, for the source block
   * @param converter converts values
   * @param clock gives the events' {@code ts_ms}
   */
  public ChangeEventAssembler(String database, ValueConverter converter, Clock clock) {
    this.database = database;
    this.converter = converter;
    this.clock = clock;
  }

  /** Remembers (or replaces) a relation's description. */
  public void relation(Relation relation) {
    relations.put(relation.oid(), relation);
    shapes.remove(relation.oid());
  }

  /** The relation's column names and schema, shared by all its rows. */
  private Shape shape(Relation relation) {
    Shape shape = shapes.get(relation.oid());
    if (shape == null) {
      shape = new Shape(relation.columns().stream().map(Column::name).toArray(String[]::new),
          new TableSchema(relation.columns().stream().map(c -> new TableSchema.Column(c.name(),
              converter.typeName(c.typeOid()), c.typeOid(), c.typeModifier(), c.key()))
              .toList()));
      shapes.put(relation.oid(), shape);
    }
    return shape;
  }

  /** Epoch milliseconds of a PostgreSQL timestamp in microseconds since 2000-01-01. */
  public static long epochMillis(long pgMicros) {
    return Math.floorDiv(pgMicros + PG_EPOCH_MICROS, 1000);
  }

  /**
   * The events of one row message in transaction {@code tx}.
   *
   * @param message an insert, update, delete or truncate
   * @param tx the transaction's begin
   * @return one event per row (a truncate gives one per table), never null
   * @throws IllegalStateException when the message names a relation never described
   */
  public List<ChangeEvent> events(PgOutputMessage message, Begin tx) {
    long now = clock.millis();
    if (message instanceof Insert insert) {
      Relation r = relation(insert.relationOid());
      return List.of(new ChangeEvent(null, row(r, insert.newTuple(), null), Operation.CREATE,
          source(r, tx), now, null, shape(r).schema()));
    }
    if (message instanceof Update update) {
      Relation r = relation(update.relationOid());
      Map<String, Object> before = update.oldTuple() == null ? null
          : row(r, update.oldTuple(), null);
      return List.of(new ChangeEvent(before, row(r, update.newTuple(), before),
          Operation.UPDATE, source(r, tx), now, null, shape(r).schema()));
    }
    if (message instanceof Delete delete) {
      Relation r = relation(delete.relationOid());
      return List.of(new ChangeEvent(row(r, delete.oldTuple(), null), null, Operation.DELETE,
          source(r, tx), now, null, shape(r).schema()));
    }
    if (message instanceof Truncate truncate) {
      List<ChangeEvent> events = new ArrayList<>();
      for (int oid : truncate.relationOids()) {
        Relation r = relation(oid);
        events.add(new ChangeEvent(null, null, Operation.TRUNCATE, source(r, tx), now, null,
            shape(r).schema()));
      }
      return events;
    }
    throw new IllegalArgumentException("not a row message: " + message);
  }

  /** Debezium's transaction id for PostgreSQL, {@code <txId>:<commit LSN>}. */
  public static String transactionId(Begin tx) {
    return tx.xid() + ":" + tx.finalLsn();
  }

  /**
   * A transaction boundary event: BEGIN, or END with the transaction's change counts.
   *
   * @param op {@link Operation#BEGIN} or {@link Operation#END}
   * @param tx the transaction
   * @param counts for END, the changes per table ({@code schema.table}); ignored for BEGIN
   */
  public ChangeEvent boundary(Operation op, Begin tx, Map<String, Long> counts) {
    boolean end = op == Operation.END;
    long total = end ? counts.values().stream().mapToLong(Long::longValue).sum() : 0;
    return new ChangeEvent(null, null, op, new SourceInfo("postgresql", database, "", "",
        tx.finalLsn(), tx.xid(), epochMillis(tx.commitTimeMicros()), "false"), clock.millis(),
        new ChangeEvent.TransactionInfo(transactionId(tx), 0, 0, total,
            end ? counts : Map.of()));
  }

  private Relation relation(int oid) {
    Relation relation = relations.get(oid);
    if (relation == null) {
      throw new IllegalStateException("change for relation " + oid
          + " before its Relation message");
    }
    return relation;
  }

  private SourceInfo source(Relation relation, Begin tx) {
    return new SourceInfo("postgresql", database, relation.schema(), relation.table(),
        tx.finalLsn(), tx.xid(), epochMillis(tx.commitTimeMicros()), "false");
  }

  /**
   * A row image. An unchanged TOASTed value is taken from {@code fallback} (the old row, under
   * REPLICA IDENTITY FULL) when it has it, and is {@link Unavailable#VALUE} otherwise.
   */
  private Map<String, Object> row(Relation relation, List<TupleValue> tuple,
      Map<String, Object> fallback) {
    List<Column> columns = relation.columns();
    if (tuple.size() != columns.size()) {
      throw new IllegalStateException("tuple of " + tuple.size() + " values for "
          + relation.schema() + "." + relation.table() + " with " + columns.size() + " columns");
    }
    String[] names = shape(relation).names();
    Object[] row = new Object[names.length];
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      TupleValue value = tuple.get(i);
      Object converted;
      if (value instanceof Text text) {
        converted = converter.convert(column.typeOid(), text.text());
      } else if (value == UnchangedToast.INSTANCE) {
        Object old = fallback == null ? null : fallback.get(column.name());
        converted = old == null || old == Unavailable.VALUE ? Unavailable.VALUE : old;
      } else {
        converted = null;
      }
      row[i] = converted;
    }
    return new RowImage(names, row);
  }
}
