package io.weir.lakehouse.internal;

import io.weir.api.CborSerializable;
import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.MaintenanceReport;
import io.weir.lakehouse.MaintenanceSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;

/**
 * The maintainer of one table: a sharded entity (id: the table, {@code namespace.table}), so
 * the cluster runs at most one maintenance of a table at a time. A run (compaction, expiry,
 * orphans, manifests: {@link io.weir.lakehouse.TableMaintenance#run}) blocks on the disk and
 * the catalog, so it runs on Pekko's blocking dispatcher and its end comes back as a message;
 * requests that arrive meanwhile are answered by one more run after it. Nothing is persisted:
 * the table is the state. Iceberg's optimistic commits keep the table right when a sink writes
 * it at the same time.
 */
public final class TableMaintainer extends AbstractBehavior<TableMaintainer.Command> {
  /** The sharded entity type. */
  public static final EntityTypeKey<Command> KEY =
      EntityTypeKey.create(Command.class, "weir-table-maintenance");

  /** Commands of the maintainer. */
  public sealed interface Command extends CborSerializable {}

  /** Run maintenance now (or after the run under way) and reply with what it did. */
  public record MaintainNow(ActorRef<StatusReply<MaintenanceReport>> replyTo)
      implements Command {}

  /** Run maintenance now (or after the run under way), answering nobody: the schedule's tick. */
  public record Maintain(String reason) implements Command {}

  /** A run ended; {@code failure} (why it failed) is null when it succeeded. */
  private record Ran(MaintenanceReport report, String failure) implements Command {}

  /** The message of a failure, from under the future's wrapping. */
  static String describe(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException c
        && c.getCause() != null ? c.getCause() : failure;
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  /** Starts sharding of the maintainers with these settings on this node. */
  public static void init(ActorSystem<?> system, LakehouseSettings lake,
      MaintenanceSettings settings) {
    ClusterSharding.get(system).init(Entity.of(KEY,
        ctx -> create(ctx.getEntityId(), lake, settings)));
  }

  /** The maintainer of a table. */
  public static EntityRef<Command> ref(ActorSystem<?> system, String table) {
    return ClusterSharding.get(system).entityRefFor(KEY, Lakehouse.identifier(table).toString());
  }

  /** The behavior of the maintainer of {@code table}. */
  public static Behavior<Command> create(String table, LakehouseSettings lake,
      MaintenanceSettings settings) {
    return Behaviors.setup(ctx -> new TableMaintainer(ctx, table, lake, settings));
  }

  private final String table;
  private final LakehouseSettings lake;
  private final MaintenanceSettings settings;
  private final Executor blocking;
  private boolean running;
  private boolean again;
  private List<ActorRef<StatusReply<MaintenanceReport>>> answering = new ArrayList<>();
  private List<ActorRef<StatusReply<MaintenanceReport>>> waiting = new ArrayList<>();

  private TableMaintainer(ActorContext<Command> ctx, String table, LakehouseSettings lake,
      MaintenanceSettings settings) {
    super(ctx);
    this.table = table;
    this.lake = lake;
    this.settings = settings;
    this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(MaintainNow.class, m -> {
          waiting.add(m.replyTo());
          return request();
        })
        .onMessage(Maintain.class, m -> request())
        .onMessage(Ran.class, this::onRan)
        .build();
  }

  private Behavior<Command> request() {
    if (running) {
      again = true;
    } else {
      start();
    }
    return this;
  }

  private void start() {
    running = true;
    again = false;
    answering = waiting;
    waiting = new ArrayList<>();
    CompletableFuture<MaintenanceReport> run = CompletableFuture.supplyAsync(() -> {
      try (Lakehouse lakehouse = Lakehouse.open(lake)) {
        if (!lakehouse.tableExists(table)) {
          throw new IllegalArgumentException("no table " + table);
        }
        return lakehouse.maintenance(table).run(settings);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, blocking);
    getContext().pipeToSelf(run,
        (report, failure) -> new Ran(report, failure == null ? null : describe(failure)));
  }

  private Behavior<Command> onRan(Ran ran) {
    running = false;
    if (ran.failure() == null) {
      getContext().getLog().debug("maintenance of {}:\n{}", table, ran.report().describe());
      answering.forEach(r -> r.tell(StatusReply.success(ran.report())));
    } else {
      getContext().getLog().warn("maintenance of {} failed: {}", table, ran.failure());
      answering.forEach(r -> r.tell(StatusReply.error("maintenance of " + table + " failed: "
          + ran.failure())));
    }
    answering = new ArrayList<>();
    if (again || !waiting.isEmpty()) {
      start();
    }
    return this;
  }
}
