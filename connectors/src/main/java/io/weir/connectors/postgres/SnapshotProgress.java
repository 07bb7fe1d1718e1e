package io.weir.connectors.postgres;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A CDC source's snapshot progress, read from the meters its reader reports (tagged with the
 * slot): {@code weir.cdc.snapshot.tables}, {@code .tables.done}, {@code .running}, and
 * {@code weir.cdc.snapshot.rows} and {@code .chunks} per table. For the command line and for
 * tests; thread-safe, never blocks.
 *
 * @param tables the configured tables
 * @param tablesDone the tables fully read
 * @param running whether a snapshot is being read
 * @param perTable rows and chunks per table, by table name
 */
public record SnapshotProgress(long tables, long tablesDone, boolean running,
    List<TableProgress> perTable) {

  /**
   * One table's progress.
   *
   * @param table {@code schema.table}
   * @param rows rows read
   * @param chunks chunks read
   */
  public record TableProgress(String table, long rows, long chunks) {}

  /** Copies the list. */
  public SnapshotProgress {
    perTable = List.copyOf(perTable);
  }

  /**
   * The progress of the source on {@code slot}, if a reader of it reported to {@code registry}.
   *
   * @param registry where the reader reports (a node's {@code Weir.metrics()}), never null
   * @param slot the source's slot name, never null
   * @return the progress, or empty when no reader reported
   */
  public static Optional<SnapshotProgress> of(MeterRegistry registry, String slot) {
    Gauge tables = registry.find("weir.cdc.snapshot.tables").tag("slot", slot).gauge();
    if (tables == null) {
      return Optional.empty();
    }
    Gauge done = registry.find("weir.cdc.snapshot.tables.done").tag("slot", slot).gauge();
    Gauge running = registry.find("weir.cdc.snapshot.running").tag("slot", slot).gauge();
    List<TableProgress> perTable = registry.find("weir.cdc.snapshot.rows").tag("slot", slot)
        .gauges().stream().map(g -> {
          String table = g.getId().getTag("table");
          Gauge chunks = registry.find("weir.cdc.snapshot.chunks").tags("slot", slot,
              "table", table).gauge();
          return new TableProgress(table, (long) g.value(),
              chunks == null ? 0 : (long) chunks.value());
        }).sorted(Comparator.comparing(TableProgress::table)).toList();
    return Optional.of(new SnapshotProgress((long) tables.value(),
        done == null ? 0 : (long) done.value(), running != null && running.value() > 0,
        perTable));
  }

  /**
   * One line, such as {@code Snapshot: 1/2 tables, 1500 rows in 12 chunks (public.a 1000/8,
   * public.b 500/4)}, ending in {@code , running} while it is read.
   */
  public String describe() {
    long rows = perTable.stream().mapToLong(TableProgress::rows).sum();
    long chunks = perTable.stream().mapToLong(TableProgress::chunks).sum();
    StringBuilder line = new StringBuilder("Snapshot: " + tablesDone + "/" + tables
        + " tables, " + rows + " rows in " + chunks + " chunks (");
    for (int i = 0; i < perTable.size(); i++) {
      TableProgress t = perTable.get(i);
      line.append(i == 0 ? "" : ", ").append(t.table()).append(' ').append(t.rows())
          .append(" rows/").append(t.chunks()).append(" chunks");
    }
    return line.append(running ? "), running" : ")").toString();
  }
}
