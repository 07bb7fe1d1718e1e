package io.weir.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The machine and JVM a benchmark runs on, for the top of its output.
 *
 * @param cores the processors available to the JVM
 * @param memoryBytes the machine's physical memory, or -1 when the JVM cannot tell
 * @param maxHeapBytes the JVM's maximum heap
 * @param jvm the JVM's name and version
 * @param os the operating system's name, version and architecture
 * @param jvmFlags the flags this JVM was started with, never null
 */
public record Machine(int cores, long memoryBytes, long maxHeapBytes, String jvm, String os,
    List<String> jvmFlags) {

  /** Describes the machine and JVM this code runs in. */
  public static Machine current() {
    long memory = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    return new Machine(Runtime.getRuntime().availableProcessors(), memory,
        Runtime.getRuntime().maxMemory(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"),
        List.copyOf(ManagementFactory.getRuntimeMXBean().getInputArguments()));
  }

  /** Lines for the top of a benchmark's output. */
  public List<String> describe() {
    return List.of(
        "machine: " + cores + " cores, " + gib(memoryBytes) + " memory, " + os,
        "jvm:     " + jvm + ", max heap " + gib(maxHeapBytes),
        "jvm flags (this JVM): " + (jvmFlags.isEmpty() ? "(none)" : String.join(" ", jvmFlags)));
  }

  private static String gib(long bytes) {
    return bytes < 0 ? "unknown" : String.format("%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
