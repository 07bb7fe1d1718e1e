package io.weir.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's command line, each command its own JVM on the same data directory. */
class CliRoundTripTest {
  @TempDir Path dir;

  private record Run(int exit, List<String> out, String err) {}

  private Run weir(String stdin, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dir.resolve("data").toString());
    try (WorkerJvm jvm = WorkerJvm.start("io.weir.node.cli.WeirCli", all, dir)) {
      jvm.writeStdinAndClose(stdin);
      int exit = jvm.waitFor(Duration.ofMinutes(2));
      return new Run(exit, jvm.stdout(), jvm.stderr());
    }
  }

  @Test
  void topicsProduceAndConsumeAcrossProcesses() throws Exception {
    assertEquals(0, weir("", "topic", "create", "events", "--partitions", "3").exit());
    StringBuilder input = new StringBuilder();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      input.append("key").append(i).append(':').append("value").append(i).append('\n');
      expected.add("key" + i + "\tvalue" + i);
    }
    Run produced = weir(input.toString(), "produce", "events", "--key-separator", ":");
    assertEquals(0, produced.exit(), produced.err());

    Run listed = weir("", "topic", "list");
    assertEquals(List.of("events"), listed.out());

    Run described = weir("", "topic", "describe", "events");
    long total = described.out().stream().filter(l -> l.contains("EndOffset:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll(".*EndOffset: (\\d+).*", "$1"))).sum();
    assertEquals(300, total, String.join("\n", described.out()));

    Run consumed = weir("", "consume", "events", "--from-beginning", "--max-messages", "300",
        "--print-key");
    assertEquals(0, consumed.exit(), consumed.err());
    assertEquals(expected, new HashSet<>(consumed.out()));

    Run badPartition = weir("", "consume", "events", "--partition", "9", "--offset", "0");
    assertEquals(1, badPartition.exit());
    assertTrue(badPartition.err().startsWith("weir: ") && badPartition.err().contains("partition 9"),
        badPartition.err());
    assertEquals(1, badPartition.err().lines().count(), badPartition.err());

    Run unknownTopic = weir("", "consume", "nope", "--from-beginning");
    assertEquals(1, unknownTopic.exit());
    assertEquals("weir: unknown topic 'nope'", unknownTopic.err().strip());

    Run badUsage = weir("", "topic", "create", "x", "--partitions", "many");
    assertEquals(2, badUsage.exit());
    assertTrue(badUsage.err().startsWith("weir: "), badUsage.err());

    assertEquals(0, weir("", "topic", "delete", "events").exit());
    assertEquals(List.of(), weir("", "topic", "list").out());
  }
}
