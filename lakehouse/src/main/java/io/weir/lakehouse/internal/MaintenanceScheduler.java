package io.weir.lakehouse.internal;

import io.weir.api.CborSerializable;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.MaintenanceSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;

/**
 * The schedule: one process in the cluster (a sharded daemon process of one instance, so it
 * moves when its node leaves) that every {@code compact-interval} lists the tables to maintain
 * and tells each table's {@link TableMaintainer} to run.
 */
public final class MaintenanceScheduler {
  /** Commands of the scheduler. */
  public sealed interface Command extends CborSerializable {}

  /** Time to list the tables and tell their maintainers. */
  public record Tick(long round) implements Command {}

  /** The tables listed; {@code failure} (why not) null when listing worked. */
  private record Listed(List<String> tables, String failure) implements Command {}

  private MaintenanceScheduler() {}

  /** Starts the maintainers' sharding and the scheduler. */
  public static void init(ActorSystem<?> system, LakehouseSettings lake,
      MaintenanceSettings settings) {
    TableMaintainer.init(system, lake, settings);
    ShardedDaemonProcess.get(system).init(Command.class, "weir-table-maintenance-schedule", 1,
        i -> create(lake, settings));
  }

  /** The scheduler's behavior. */
  public static Behavior<Command> create(LakehouseSettings lake, MaintenanceSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(new Tick(0), settings.compactInterval());
      Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
      return Behaviors.receive(Command.class)
          .onMessage(Tick.class, tick -> {
            if (!settings.tables().isEmpty()) {
              ctx.getSelf().tell(new Listed(settings.tables(), null));
            } else {
              ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
                try (Lakehouse lakehouse = Lakehouse.open(lake)) {
                  return lakehouse.listTables();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }, blocking), (tables, failure) -> new Listed(tables,
                  failure == null ? null : TableMaintainer.describe(failure)));
            }
            return Behaviors.same();
          })
          .onMessage(Listed.class, listed -> {
            if (listed.failure() != null) {
              ctx.getLog().warn("cannot list the tables to maintain: {}", listed.failure());
            } else {
              for (String table : listed.tables()) {
                TableMaintainer.ref(ctx.getSystem(), table)
                    .tell(new TableMaintainer.Maintain("schedule"));
              }
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
