package io.weir.benchmarks.log;

import java.util.List;

/**
 * The flags a peer's JVM inherits from the benchmark's: memory and GC settings, so that both
 * sides run alike, but not agents, recordings or system properties meant for this JVM alone.
 */
public final class BrokerFlags {
  private BrokerFlags() {}

  /** The flags of {@code jvmFlags} that a peer JVM should run with too, in order. */
  public static List<String> from(List<String> jvmFlags) {
    return jvmFlags.stream()
        .filter(f -> f.startsWith("-Xm") || f.startsWith("-Xss") || f.startsWith("-XX:"))
        .filter(f -> !f.startsWith("-XX:StartFlightRecording")
            && !f.startsWith("-XX:FlightRecorderOptions") && !f.startsWith("-XX:+FlightRecorder")
            && !f.contains("HeapDumpPath") && !f.startsWith("-XX:OnOutOfMemoryError"))
        .toList();
  }
}
