package io.weir.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network partition 2|1 of a three-node cluster (Artery's test-mode blackhole, both directions)
 * while producers on both sides write to one topic. The split brain resolver (keep-majority)
 * downs the isolated node, which shuts itself down; the majority takes its partitions over.
 * Throughout, no log partition is hosted by two nodes at once (the nodes report what they host
 * every 250 ms; the hosting periods of different nodes never overlap), and afterwards every
 * record acknowledged on either side is in the log at its offset, once.
 */
class SplitBrainTest {
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final String TOPIC = "split";

  @TempDir Path dir;

  @Test
  void theResolverDownsTheMinorityAndNoPartitionEverHasTwoWriters() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("SplitBrainTest seed " + seed);
    Random random = new Random(seed);
    int nodes = 3;
    try (LocalCluster cluster = new LocalCluster(dir, nodes,
        "pekko.remote.artery.advanced.test-mode = on")
        .keepLogsIn(Path.of("target", "multi-jvm-logs", "SplitBrainTest"))) {
      for (int i = 0; i < nodes; i++) {
        cluster.start(i, ClusterWorker.class, List.of());
      }
      cluster.awaitMembers(nodes, STEP);
      WorkerJvm majority = cluster.worker(0);
      int isolated = 1 + random.nextInt(nodes - 1);
      int other = 3 - isolated;
      WorkerJvm minority = cluster.worker(isolated);
      JobFailoverTest.command(majority, "topic " + TOPIC + " 6");
      JobFailoverTest.command(majority, "producer " + TOPIC + " majority");
      JobFailoverTest.command(minority, "producer " + TOPIC + " minority");
      majority.awaitLines(l -> l.startsWith("ACK "), 500, STEP);
      minority.awaitLines(l -> l.startsWith("ACK "), 500, STEP);

      System.out.println("isolating node " + isolated);
      for (int i = 0; i < nodes; i++) {
        if (i != isolated) {
          JobFailoverTest.command(cluster.worker(i), "blackhole " + cluster.address(isolated));
          JobFailoverTest.command(minority, "blackhole " + cluster.address(i));
        }
      }
      String isolatedAddress = cluster.address(isolated);
      majority.awaitLine(l -> l.equals("REMOVED " + isolatedAddress), STEP);
      minority.awaitLine(l -> l.equals("TERMINATED"), STEP);
      // The resolver's decisions, from the nodes' logs: the majority downs the unreachable
      // node, the minority downs itself (reachable: itself) and never the majority.
      List<String> minorityDecisions = decisions(minority);
      // The majority's leader (either of its nodes) decides for it.
      List<String> majorityDecisions = new ArrayList<>(decisions(majority));
      majorityDecisions.addAll(decisions(cluster.worker(other)));
      System.out.println("minority: " + minorityDecisions + "; majority: " + majorityDecisions);
      assertTrue(minorityDecisions.stream().anyMatch(l -> l.contains("DownReachable"))
          && minorityDecisions.stream().noneMatch(l -> l.contains("DownUnreachable")),
          "the minority downs itself, nobody else: " + minorityDecisions + " (seed " + seed + ")");
      assertTrue(majorityDecisions.stream().anyMatch(l -> l.contains("DownUnreachable")
          && l.contains(isolatedAddress)), "the majority downs the isolated node: "
          + majorityDecisions + " (seed " + seed + ")");
      // The majority's producer goes on against every partition, the isolated node's included.
      int removedAt = majority.stdout().size();
      for (int p = 0; p < 6; p++) {
        String prefix = "ACK " + p + " ";
        majority.awaitLines(l -> l.startsWith(prefix)
            && majority.stdout().lastIndexOf(l) >= removedAt, 1, STEP);
      }
      majority.writeLine("stop");
      assertEquals("STOPPED failed=0",
          majority.awaitLine(l -> l.startsWith("STOPPED "), Duration.ofSeconds(180)),
          "sends that failed: " + nacks(majority) + " (seed " + seed + ")");

      List<String> overlaps = HostingPeriods.overlaps(cluster, "weir-log-partition");
      assertEquals(List.of(), overlaps, "partitions hosted by two nodes at once (seed " + seed
          + ")");

      WorkerJvm reader = cluster.worker(other);
      JobFailoverTest.command(reader, "dump " + TOPIC);
      Map<String, String> stored = new HashMap<>();
      Map<String, Integer> copies = new HashMap<>();
      for (String line : reader.stdout()) {
        assertTrue(!line.startsWith("GAP "), line + " (seed " + seed + ")");
        if (line.startsWith("RECORD ")) {
          String[] f = line.split(" ");
          stored.put(f[1] + ":" + f[2], f[3]);
          copies.merge(f[3], 1, Integer::sum);
        }
      }
      for (WorkerJvm side : List.of(majority, minority)) {
        Map<String, String> acked = new HashMap<>();
        for (String line : side.stdout()) {
          if (line.startsWith("ACK ")) {
            String[] f = line.split(" ");
            acked.put(f[1] + ":" + f[2], f[3]);
          }
        }
        long lost = acked.entrySet().stream()
            .filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
        System.out.println(acked.size() + " acknowledged on one side, " + lost + " lost");
        assertEquals(0, lost, "acknowledged records missing or changed (seed " + seed + ")");
      }
      List<String> duplicated = copies.entrySet().stream().filter(e -> e.getValue() > 1)
          .map(Map.Entry::getKey).toList();
      assertEquals(List.of(), duplicated, "records written twice (seed " + seed + ")");
    }
  }

  /** The first few failed sends a producing worker reported. */
  static List<String> nacks(WorkerJvm worker) {
    return worker.stdout().stream().filter(l -> l.startsWith("NACK ")).limit(5).toList();
  }

  /** The split brain resolver's decisions in a node's log (stderr, WARN). */
  private static List<String> decisions(WorkerJvm worker) {
    return worker.stderr().lines().filter(l -> l.contains("SBR took decision")).toList();
  }

}
