package io.weir.multijvm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that no entity was hosted by two nodes at once, from the {@code HOSTS-AT millis type
 * ids} reports every {@link ClusterWorker} prints every 250 ms: a node's period for an entity is
 * a run of consecutive reports that list it. Reports are samples inside the real periods, so an
 * overlap of sampled periods is a real one.
 */
final class HostingPeriods {
  private HostingPeriods() {}

  /** A period in which one incarnation of a node hosted an entity. */
  record Period(String node, long from, long to) {}

  /**
   * Every pair of periods of different node incarnations that overlap for one entity of
   * {@code type}, over every worker the cluster ever started (killed ones too).
   */
  static List<String> overlaps(LocalCluster cluster, String type) {
    Map<String, List<Period>> periods = new HashMap<>();
    Map<Integer, Integer> incarnations = new HashMap<>();
    for (Map.Entry<Integer, WorkerJvm> e : cluster.history()) {
      String node = e.getKey() + "#" + incarnations.merge(e.getKey(), 1, Integer::sum);
      Map<String, Long> open = new HashMap<>();
      Map<String, Long> last = new HashMap<>();
      for (String line : e.getValue().stdout()) {
        if (!line.startsWith("HOSTS-AT ") || !line.contains(" " + type + " ")) {
          continue;
        }
        String[] f = line.split(" ", 4);
        if (!f[2].equals(type)) {
          continue;
        }
        long at = Long.parseLong(f[1]);
        Set<String> hosted = new HashSet<>(f.length > 3 && !f[3].isEmpty()
            ? List.of(f[3].split(",")) : List.of());
        for (String id : hosted) {
          open.putIfAbsent(id, at);
          last.put(id, at);
        }
        for (String id : new ArrayList<>(open.keySet())) {
          if (!hosted.contains(id)) {
            periods.computeIfAbsent(id, k -> new ArrayList<>())
                .add(new Period(node, open.remove(id), last.get(id)));
          }
        }
      }
      for (var o : open.entrySet()) {
        periods.computeIfAbsent(o.getKey(), k -> new ArrayList<>())
            .add(new Period(node, o.getValue(), last.get(o.getKey())));
      }
    }
    List<String> overlaps = new ArrayList<>();
    periods.forEach((id, list) -> {
      for (int i = 0; i < list.size(); i++) {
        for (int j = i + 1; j < list.size(); j++) {
          Period a = list.get(i);
          Period b = list.get(j);
          if (!a.node().equals(b.node()) && a.from() <= b.to() && b.from() <= a.to()) {
            overlaps.add(id + ": " + a + " and " + b);
          }
        }
      }
    });
    System.out.println(type + " hosting periods: " + periods);
    return overlaps;
  }
}
