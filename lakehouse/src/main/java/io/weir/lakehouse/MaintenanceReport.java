package io.weir.lakehouse;

import io.weir.api.CborSerializable;
import io.weir.lakehouse.MaintenanceResult.Compacted;
import io.weir.lakehouse.MaintenanceResult.ManifestsRewritten;
import io.weir.lakehouse.MaintenanceResult.OrphansRemoved;
import io.weir.lakehouse.MaintenanceResult.SnapshotsExpired;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One maintenance run of a table, as {@link TableMaintenance#run(MaintenanceSettings)} does
 * and the maintenance entity replies.
 *
 * @param table {@code namespace.table}; never null
 * @param compacted never null
 * @param expired never null
 * @param orphans never null
 * @param manifests null when manifests were not to be rewritten
 */
public record MaintenanceReport(String table, Compacted compacted, SnapshotsExpired expired,
    OrphansRemoved orphans, ManifestsRewritten manifests) implements CborSerializable {
  /** Checks the required parts. */
  public MaintenanceReport {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(compacted, "compacted");
    Objects.requireNonNull(expired, "expired");
    Objects.requireNonNull(orphans, "orphans");
  }

  /** The results in the order they ran. */
  public List<MaintenanceResult> results() {
    List<MaintenanceResult> out = new ArrayList<>(List.of(compacted, expired, orphans));
    if (manifests != null) {
      out.add(manifests);
    }
    return out;
  }

  /** One line per result, for people. */
  public String describe() {
    return String.join("\n", results().stream().map(MaintenanceResult::describe).toList());
  }
}
