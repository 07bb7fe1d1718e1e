package io.weir.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer writes to a topic whose partitions are spread over a three-node cluster sharing a
 * PostgreSQL journal; the node hosting some of its partitions (not the producer's) is killed
 * with SIGKILL. Its partitions start again on the survivors from the journal, the producer's
 * retries reach them there, and afterwards every acknowledged record is in the log at the offset
 * it was acknowledged with: offsets dense, no record lost, none written twice, no send failed.
 */
class PartitionFailoverTest {
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final String TOPIC = "acks";

  @TempDir Path dir;

  /** One kill: the default test run. */
  @Test
  void acknowledgedRecordsSurviveTheKillOfTheNodeHostingTheirPartition() throws Exception {
    run(1);
  }

  /**
   * Kills in a row, each killed node started again on a new port before the next: the soak
   * profile.
   */
  @Test
  @Tag("soak")
  void acknowledgedRecordsSurviveRepeatedKills() throws Exception {
    run(4);
  }

  /**
   * A graceful stop (SIGTERM, as an operator stops a node) of the node hosting partitions: it
   * leaves the cluster and hands its shards over, and nothing acknowledged is lost.
   */
  @Test
  void acknowledgedRecordsSurviveTheGracefulStopOfTheNodeHostingTheirPartition()
      throws Exception {
    run(1, true);
  }

  private void run(int kills) throws Exception {
    run(kills, false);
  }

  private void run(int kills, boolean graceful) throws Exception {
    long seed = new Random().nextLong();
    System.out.println("PartitionFailoverTest seed " + seed);
    Random random = new Random(seed);
    int nodes = 3;
    try (LocalCluster cluster = new LocalCluster(dir, nodes, "")
        .keepLogsIn(Path.of("target", "multi-jvm-logs", "PartitionFailoverTest-" + kills
            + (graceful ? "-graceful" : "")))) {
      for (int i = 0; i < nodes; i++) {
        cluster.start(i, ClusterWorker.class, List.of());
      }
      cluster.awaitMembers(nodes, STEP);
      WorkerJvm producer = cluster.worker(0);
      JobFailoverTest.command(producer, "topic " + TOPIC + " 6");
      JobFailoverTest.command(producer, "producer " + TOPIC);
      for (int kill = 0; kill < kills; kill++) {
        int acked = acks(producer).size();
        producer.awaitLines(l -> l.startsWith("ACK "), acked + 1_000 + random.nextInt(2_000),
            STEP);
        // The victim: of the nodes other than the producer's, the one hosting most partitions
        // now (a restarted node gets none back until sharding rebalances).
        int victim = -1;
        Set<Integer> moved = Set.of();
        for (int candidate = 1; candidate < nodes; candidate++) {
          Set<Integer> hosted = hostedPartitions(cluster.worker(candidate));
          if (victim < 0 || hosted.size() > moved.size()
              || (hosted.size() == moved.size() && random.nextBoolean())) {
            victim = candidate;
            moved = hosted;
          }
        }
        System.out.println((graceful ? "stop " : "kill ") + kill + ": node " + victim + " hosting partitions " + moved
            + " after " + acks(producer).size() + " acknowledged records");
        if (graceful) {
          cluster.stop(victim, STEP);
        } else {
          cluster.kill(victim);
        }
        int killedAt = producer.stdout().size();
        String address = cluster.address(victim);
        producer.awaitLine(l -> l.equals("REMOVED " + address), STEP);
        // The producer resumes against the partitions' new homes: new acknowledgements from
        // each partition that moved.
        for (int p : moved) {
          String prefix = "ACK " + p + " ";
          producer.awaitLines(l -> l.startsWith(prefix) && producer.stdout().lastIndexOf(l)
              >= killedAt, 1, STEP);
        }
        if (kill < kills - 1) {
          // A new address: see JobFailoverTest for restarts at the same one.
          cluster.movePort(victim);
          cluster.start(victim, ClusterWorker.class, List.of());
          cluster.awaitMembers(nodes, STEP);
        }
      }
      producer.writeLine("stop");
      String stopped = producer.awaitLine(l -> l.startsWith("STOPPED "), Duration.ofSeconds(180));
      assertEquals("STOPPED failed=0", stopped, "sends that failed: "
          + SplitBrainTest.nacks(producer) + " (seed " + seed + ")");

      assertEquals(List.of(), HostingPeriods.overlaps(cluster, "weir-log-partition"),
          "partitions hosted by two nodes at once (seed " + seed + ")");
      // Read the whole topic back on a surviving node that is not the producer's.
      Map<String, String> acknowledged = acks(producer);
      int reader = cluster.alive().stream().filter(i -> i != 0).findFirst().orElse(0);
      WorkerJvm r = cluster.worker(reader);
      JobFailoverTest.command(r, "dump " + TOPIC);
      Map<String, String> stored = new HashMap<>();
      Map<String, Integer> copies = new HashMap<>();
      for (String line : r.stdout()) {
        assertTrue(!line.startsWith("GAP "), line + " (seed " + seed + ")");
        if (line.startsWith("RECORD ")) {
          String[] f = line.split(" ");
          stored.put(f[1] + ":" + f[2], f[3]);
          copies.merge(f[3], 1, Integer::sum);
        }
      }
      long lost = acknowledged.entrySet().stream()
          .filter(e -> !e.getValue().equals(stored.get(e.getKey()))).count();
      List<String> duplicated = new ArrayList<>();
      copies.forEach((v, n) -> {
        if (n > 1) {
          duplicated.add(v);
        }
      });
      System.out.println(acknowledged.size() + " acknowledged, " + stored.size() + " stored, "
          + lost + " lost, " + duplicated.size() + " duplicated");
      assertTrue(acknowledged.size() > 1_000, "acknowledged " + acknowledged.size());
      assertEquals(0, lost, "acknowledged records missing or changed (seed " + seed + ")");
      assertEquals(List.of(), duplicated, "records written twice (seed " + seed + ")");
      assertEquals(acknowledged.size(), stored.size(),
          "every acknowledged record, nothing else (seed " + seed + ")");
    }
  }

  /** The partitions of the topic a node reports hosting, from a report printed from now on. */
  private static Set<Integer> hostedPartitions(WorkerJvm w) throws InterruptedException {
    int from = w.stdout().size();
    String hosts = w.awaitLine(l -> l.startsWith("HOSTS weir-log-partition ")
        && w.stdout().lastIndexOf(l) >= from, STEP);
    Set<Integer> hosted = new HashSet<>();
    for (String id : hosts.substring("HOSTS weir-log-partition ".length()).split(",")) {
      if (id.startsWith(TOPIC + "/")) {
        hosted.add(Integer.parseInt(id.substring(TOPIC.length() + 1)));
      }
    }
    return hosted;
  }

  /** partition:offset → value of every acknowledged record so far. */
  private static Map<String, String> acks(WorkerJvm producer) {
    Map<String, String> acked = new HashMap<>();
    for (String line : producer.stdout()) {
      if (line.startsWith("ACK ")) {
        String[] f = line.split(" ");
        acked.put(f[1] + ":" + f[2], f[3]);
      }
    }
    return acked;
  }
}
