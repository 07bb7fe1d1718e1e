package io.weir.stream.internal.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The records a subtask has produced for each output port since the last drain. A drain turns
 * each port's records into one {@link StreamElement.Batch}, so one input batch gives at most one
 * output batch per port; a port whose buffer reaches {@code maxBatch} records is cut into
 * several. Not thread-safe: used by the subtask's stream stage only.
 */
final class PortBuffers {
  private final ExchangeLayout layout;
  private final int maxBatch;
  private final List<List<Object>> values;
  private final long[][] timestamps;
  private final List<Routed> ready = new ArrayList<>();

  PortBuffers(ExchangeLayout layout, int maxBatch) {
    this.layout = layout;
    this.maxBatch = maxBatch;
    this.values = new ArrayList<>(layout.portCount());
    this.timestamps = new long[layout.portCount()][];
    for (int p = 0; p < layout.portCount(); p++) {
      values.add(new ArrayList<>());
      timestamps[p] = new long[16];
    }
  }

  /** Adds a record for a port. */
  void add(int port, Object value, long timestamp) {
    List<Object> vs = values.get(port);
    int n = vs.size();
    long[] ts = timestamps[port];
    if (n == ts.length) {
      ts = Arrays.copyOf(ts, n * 2);
      timestamps[port] = ts;
    }
    vs.add(value);
    ts[n] = timestamp;
    if (n + 1 >= maxBatch) {
      cut(port);
    }
  }

  /** Sends a control element to every port, after the records buffered so far. */
  void broadcast(IntFunction<StreamElement> forChannel) {
    broadcast(0, layout.portCount(), forChannel);
  }

  /** Sends a control element to {@code count} ports from {@code first}, after their records. */
  void broadcast(int first, int count, IntFunction<StreamElement> forChannel) {
    for (int p = first; p < first + count; p++) {
      cut(p);
      ready.add(new Routed(p, forChannel.apply(layout.ports()[p])));
    }
  }

  /** Everything produced since the last drain, in order per port; empties the buffers. */
  List<Routed> drain() {
    for (int p = 0; p < layout.portCount(); p++) {
      cut(p);
    }
    if (ready.isEmpty()) {
      return List.of();
    }
    List<Routed> out = new ArrayList<>(ready);
    ready.clear();
    return out;
  }

  private void cut(int port) {
    List<Object> vs = values.get(port);
    if (vs.isEmpty()) {
      return;
    }
    ready.add(new Routed(port, new StreamElement.Batch(layout.ports()[port], List.copyOf(vs),
        Arrays.copyOf(timestamps[port], vs.size()))));
    vs.clear();
  }
}
