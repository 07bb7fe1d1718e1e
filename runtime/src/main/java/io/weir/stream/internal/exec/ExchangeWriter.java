package io.weir.stream.internal.exec;

import io.weir.stream.internal.JobEdge;
import io.weir.stream.internal.KeyRouter;

/**
 * Spreads one output edge's records over the target vertex's subtasks by the edge's
 * partitioning: forward to the subtask of the same index, by key group, to all, or round-robin.
 */
final class ExchangeWriter implements Emitter.Target {
  private final PortBuffers buffers;
  private final int firstPort;
  private final int targets;
  private final int subtask;
  private final JobEdge edge;
  private final KeyRouter<Object> router;
  private int next;

  ExchangeWriter(PortBuffers buffers, ExchangeLayout layout, int outputEdge, int subtask,
      int targets, KeyRouter<Object> router) {
    this.buffers = buffers;
    this.firstPort = layout.port(outputEdge, 0);
    this.targets = targets;
    this.subtask = subtask;
    this.edge = layout.outputs().get(outputEdge);
    this.router = router;
    this.next = subtask % targets;
  }

  @Override
  public void watermark(long watermark) {
    buffers.broadcast(firstPort, targets, ch -> new StreamElement.Watermark(ch, watermark));
  }

  @Override
  public void status(boolean idle) {
    buffers.broadcast(firstPort, targets, ch -> new StreamElement.ChannelStatus(ch, idle));
  }

  @Override
  public void accept(Object value, long timestamp) throws Exception {
    switch (edge.partitioning()) {
      case FORWARD -> buffers.add(firstPort + subtask, value, timestamp);
      case HASH -> buffers.add(firstPort + router.subtaskOf(value), value, timestamp);
      case BROADCAST -> {
        for (int t = 0; t < targets; t++) {
          buffers.add(firstPort + t, value, timestamp);
        }
      }
      case REBALANCE -> {
        buffers.add(firstPort + next, value, timestamp);
        next = next + 1 == targets ? 0 : next + 1;
      }
      default -> throw new IllegalStateException("unknown partitioning " + edge.partitioning());
    }
  }
}
