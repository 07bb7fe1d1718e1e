package io.weir.connectors.postgres.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.weir.connectors.postgres.PgSplit;
import io.weir.connectors.postgres.SnapshotPosition;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A snapshot's progress as Micrometer meters, tagged {@code slot} (and {@code table}):
 * {@code weir.cdc.snapshot.tables} (configured), {@code weir.cdc.snapshot.tables.done},
 * {@code weir.cdc.snapshot.running} (1 while a snapshot is read), {@code weir.cdc.snapshot.rows}
 * and {@code weir.cdc.snapshot.chunks} per table, and the counter
 * {@code weir.cdc.snapshot.resumed} (snapshots resumed after a restore). A reader that replaces
 * another after a restore takes the same gauges over. Updated on the subtask's thread; read from
 * any.
 */
final class SnapshotMeters {
  /** Gauges hold their values weakly: the values live here, one set per registry and name. */
  private static final Map<MeterRegistry, Map<String, AtomicLong>> VALUES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final AtomicLong tablesDone;
  private final AtomicLong running;
  private final AtomicLong[] rows;
  private final AtomicLong[] chunks;
  private final Counter resumed;
  private final int total;

  SnapshotMeters(MeterRegistry registry, String slot, List<TableId> tables) {
    total = tables.size();
    gauge(registry, "weir.cdc.snapshot.tables", Tags.of("slot", slot)).set(total);
    tablesDone = gauge(registry, "weir.cdc.snapshot.tables.done", Tags.of("slot", slot));
    running = gauge(registry, "weir.cdc.snapshot.running", Tags.of("slot", slot));
    rows = new AtomicLong[total];
    chunks = new AtomicLong[total];
    for (int i = 0; i < total; i++) {
      Tags tags = Tags.of("slot", slot, "table", tables.get(i).toString());
      rows[i] = gauge(registry, "weir.cdc.snapshot.rows", tags);
      chunks[i] = gauge(registry, "weir.cdc.snapshot.chunks", tags);
    }
    resumed = Counter.builder("weir.cdc.snapshot.resumed").tags("slot", slot)
        .description("snapshots resumed after a restore").register(registry);
  }

  private static AtomicLong gauge(MeterRegistry registry, String name, Tags tags) {
    synchronized (VALUES) {
      Map<String, AtomicLong> values = VALUES.computeIfAbsent(registry, r -> new HashMap<>());
      String id = name + tags;
      AtomicLong value = values.get(id);
      if (value == null) {
        value = new AtomicLong();
        values.put(id, value);
        Gauge.builder(name, value, AtomicLong::get).tags(tags).register(registry);
      }
      return value;
    }
  }

  /** Shows where a split given to the reader stands. */
  void start(PgSplit split) {
    SnapshotPosition at = split.snapshot();
    if (at != null) {
      running.set(1);
      tablesDone.set(at.table());
      for (int i = 0; i < total; i++) {
        rows[i].set(at.rows().get(i));
        chunks[i].set(at.chunks().get(i));
      }
    } else if (split.snapshotDone()) {
      running.set(0);
      tablesDone.set(total);
    }
  }

  void started() {
    running.set(1);
    tablesDone.set(0);
    for (int i = 0; i < total; i++) {
      rows[i].set(0);
      chunks[i].set(0);
    }
  }

  void resumed() {
    resumed.increment();
    running.set(1);
  }

  void row(int table) {
    rows[table].incrementAndGet();
    tablesDone.set(table);
  }

  void chunk(int table) {
    chunks[table].incrementAndGet();
  }

  void done() {
    running.set(0);
    tablesDone.set(total);
  }
}
