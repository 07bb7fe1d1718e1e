package io.weir.lakehouse;

import io.weir.lakehouse.internal.MaintenanceScheduler;
import io.weir.lakehouse.internal.TableMaintainer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Table maintenance in a running cluster: a sharded entity per table runs
 * {@link TableMaintenance#run(MaintenanceSettings)} (one run of a table at a time in the
 * cluster), and a scheduler tells every table's entity to run each
 * {@code compact-interval}. Maintenance commits are optimistic Iceberg commits, so sinks keep
 * writing the tables meanwhile.
 *
 * <p>Every node that may host the entities calls {@link #start} with the same settings.
 */
public final class LakehouseMaintenance {
  private LakehouseMaintenance() {}

  /**
   * Starts the maintenance entities and the schedule on this node.
   *
   * @param system a cluster actor system
   * @param lake where the catalog is
   * @param settings the schedule
   */
  public static void start(ActorSystem<?> system, LakehouseSettings lake,
      MaintenanceSettings settings) {
    MaintenanceScheduler.init(system, lake, settings);
  }

  /**
   * Runs maintenance of a table now (after the run under way, if any) through its entity.
   * {@link #start} must have run on this node.
   *
   * @return the report; fails with the run's failure (an unknown table, a conflict that
   *     persisted) or a timeout
   */
  public static CompletionStage<MaintenanceReport> runNow(ActorSystem<?> system, String table,
      Duration timeout) {
    return TableMaintainer.ref(system, table)
        .askWithStatus(TableMaintainer.MaintainNow::new, timeout);
  }
}
