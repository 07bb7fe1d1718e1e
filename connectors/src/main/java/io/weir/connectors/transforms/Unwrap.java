package io.weir.connectors.transforms;

import io.weir.connectors.postgres.ChangeEvent;
import io.weir.stream.api.Collector;
import io.weir.stream.api.FlatMapFunction;
import java.util.Objects;

/**
 * Unwraps change events to the new state of their rows, as Debezium's
 * {@code ExtractNewRecordState}: inserts, updates and snapshot reads become their {@code after}
 * row; deletes are dropped or kept as a row marked deleted (with the {@code before} image);
 * truncates are dropped.
 *
 * <pre>{@code
 * job.fromSource(cdc, "Postgres CDC").flatMap(Unwrap.keepingDeletes()) ...
 * }</pre>
 */
public final class Unwrap implements FlatMapFunction<ChangeEvent, Row> {
  /** What becomes of deletes. */
  public enum Deletes {
    /** Dropped. */
    DROP,
    /** Kept as a row marked deleted, with the values of the row before. */
    REWRITE
  }

  private final Deletes deletes;

  private Unwrap(Deletes deletes) {
    this.deletes = Objects.requireNonNull(deletes, "deletes");
  }

  /** Unwraps, dropping deletes. */
  public static Unwrap droppingDeletes() {
    return new Unwrap(Deletes.DROP);
  }

  /** Unwraps, keeping deletes as rows marked deleted. */
  public static Unwrap keepingDeletes() {
    return new Unwrap(Deletes.REWRITE);
  }

  @Override
  public void flatMap(ChangeEvent event, Collector<Row> out) {
    ChangeEvent.SourceInfo source = event.source();
    switch (event.op()) {
      case CREATE, UPDATE, READ -> out.collect(new Row(source.schema(), source.table(),
          event.op().code(), false, event.after()));
      case DELETE -> {
        if (deletes == Deletes.REWRITE && event.before() != null) {
          out.collect(new Row(source.schema(), source.table(), event.op().code(), true,
              event.before()));
        }
      }
      default -> {
        // A truncate has no row.
      }
    }
  }
}
