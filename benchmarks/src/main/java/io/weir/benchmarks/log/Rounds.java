package io.weir.benchmarks.log;

import io.weir.benchmarks.Report;
import io.weir.benchmarks.Report.Better;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The measurements of one durability mode: a warm-up, then rounds in which Weir and then Kafka
 * each produce, consume and run the latency probe on a fresh topic, adding one value per side
 * and figure to the {@link Report}. Every read is checked before its figure counts.
 */
final class Rounds {
  private final Durability mode;
  private final LogSide weir;
  private final LogSide peer;
  private final int latencyRate;
  private final int latencyCount;
  private final PrintStream out;

  Rounds(Durability mode, LogSide weir, LogSide peer, int latencyRate, int latencyCount,
      PrintStream out) {
    this.mode = mode;
    this.weir = weir;
    this.peer = peer;
    this.latencyRate = latencyRate;
    this.latencyCount = latencyCount;
    this.out = out;
  }

  /** One unmeasured pass of each side over a quarter of the workload per partition count. */
  void warmUp(Workload keyed, Workload unkeyed, List<Integer> partitions) throws Exception {
    int n = Math.max(10_000, keyed.size() / 4);
    for (int p : partitions) {
      Workload w = (p == 1 ? unkeyed : keyed).head(n);
      int latencyWarmUp = Math.max(1, Math.min(latencyCount, latencyRate / 4));
      for (LogSide side : List.of(weir, peer)) {
        run(side, "warmup-" + mode.label() + "-" + p + "p", p, w,
            new LatencyProbe(latencyWarmUp, latencyRate));
      }
    }
    out.println("warm-up done");
    out.flush();
  }

  /** One measured round at {@code partitions} partitions: Weir, then the peer. */
  void round(int round, int partitions, Workload workload, Report report) throws Exception {
    String name = mode.label() + "-" + partitions + "p"
        + (weir.durabilityAsAsked() && peer.durabilityAsAsked() ? "" : "-unequal");
    Figures w = run(weir, "r" + round + "-" + name, partitions, workload,
        new LatencyProbe(latencyCount, latencyRate));
    Figures k = run(peer, "r" + round + "-" + name, partitions, workload,
        new LatencyProbe(latencyCount, latencyRate));
    report.add("produce-" + name, "records/s", Better.HIGHER, 0, w.produce(), k.produce());
    report.add("consume-" + name, "records/s", Better.HIGHER, 0, w.consume(), k.consume());
    report.add("p99-" + name, "ms", Better.LOWER, 2, w.latency().p99(), k.latency().p99());
    out.printf(Locale.ROOT, "round %d %-8s produce weir %,9.0f kafka %,9.0f rec/s | consume "
            + "weir %,9.0f kafka %,9.0f rec/s | p50/p99 weir %.2f/%.2f kafka %.2f/%.2f ms%n",
        round, name, w.produce(), k.produce(), w.consume(), k.consume(), w.latency().p50(),
        w.latency().p99(), k.latency().p50(), k.latency().p99());
    out.flush();
  }

  private Figures run(LogSide side, String label, int partitions, Workload workload,
      LatencyProbe probe) throws Exception {
    String topic = "bench-" + label + "-" + side.name();
    side.createTopic(topic, partitions);
    double produce = workload.size() / (side.produce(topic, workload) / 1e9);
    double consume = workload.size() / (side.consume(topic, workload) / 1e9);
    side.deleteTopic(topic);
    String latencyTopic = topic + "-latency";
    side.createTopic(latencyTopic, partitions);
    LatencyProbe.Latencies latency = side.latency(latencyTopic, workload, probe);
    side.deleteTopic(latencyTopic);
    return new Figures(produce, consume, latency);
  }

  private record Figures(double produce, double consume, LatencyProbe.Latencies latency) {}
}
