package io.weir.node;

import io.weir.node.api.NodeSettings;
import io.weir.node.api.Profile;

import com.typesafe.config.Config;
import io.weir.Weir;
import io.weir.api.WeirException;
import io.weir.lakehouse.LakehouseMaintenance;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.lakehouse.MaintenanceSettings;
import io.weir.node.internal.DataDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Weir node: an actor system that is a member of a Pekko cluster (a cluster of one in
 * the embedded profile), with its journal open and the {@link Weir} extension started, holding
 * the lock of its data directory until {@link #close()}.
 *
 * <pre>{@code
 * try (WeirNode node = WeirNode.start(Path.of("weir-data"))) {
 *   Weir weir = node.weir();
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} blocks until the actor system has terminated.
 */
public final class WeirNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WeirNode.class);
  /** The actor system's name; every node of a cluster uses it. */
  public static final String SYSTEM_NAME = "weir";

  private final ActorSystem<Void> system;
  private final DataDirectory dataDirectory;
  private final NodeSettings settings;

  private WeirNode(ActorSystem<Void> system, DataDirectory dataDirectory, NodeSettings settings) {
    this.system = system;
    this.dataDirectory = dataDirectory;
    this.settings = settings;
  }

  /**
   * Starts an embedded node on {@code dataDir} with the default (embedded) profile.
   *
   * @param dataDir the data directory, created if missing
   * @return the running node, never null
   * @throws WeirException if the directory is unusable or held by another process, or start fails
   */
  public static WeirNode start(Path dataDir) {
    return NodeLauncher.defaults().withDataDir(dataDir).start();
  }

  /**
   * Starts a node with a fully resolved configuration (see {@link NodeLauncher#resolveConfig()}).
   *
   * @param config the node's configuration, resolved
   * @return the running node, never null
   * @throws WeirException if the data directory is unusable or start fails or times out
   */
  public static WeirNode start(Config config) {
    NodeSettings settings;
    try {
      settings = NodeSettings.fromConfig(config);
    } catch (com.typesafe.config.ConfigException e) {
      throw new WeirException("bad configuration: " + e.getMessage(), e);
    }
    DataDirectory dir = DataDirectory.open(settings.dataDir());
    ActorSystem<Void> system = null;
    try {
      system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
      awaitMemberUp(system, settings);
      if (settings.createSchema()) {
        await(SchemaUtils.createIfNotExists(system).toCompletableFuture(),
            settings.startupTimeout(), "creating the journal schema");
      }
      Weir.get(system);
      if (config.getBoolean("weir.lakehouse.maintenance.enabled")) {
        LakehouseMaintenance.start(system, LakehouseSettings.fromConfig(config),
            MaintenanceSettings.fromConfig(config));
      }
      String address = Cluster.get(system.classicSystem()).selfAddress().toString();
      dir.recordOwner("pid=" + ProcessHandle.current().pid() + " address=" + address);
      log.info("Weir node {} started on {} ({} profile)", address, settings.dataDir(),
          settings.profile());
      return new WeirNode(system, dir, settings);
    } catch (RuntimeException | Error e) {
      if (system != null) {
        system.terminate();
        awaitTermination(system);
      }
      dir.close();
      throw e;
    }
  }

  /** The node's actor system. */
  public ActorSystem<Void> system() {
    return system;
  }

  /** The Weir extension on this node. */
  public Weir weir() {
    return Weir.get(system);
  }

  /** The settings the node started with. */
  public NodeSettings settings() {
    return settings;
  }

  /** This node's cluster address, such as {@code pekko://weir@127.0.0.1:41234}. */
  public String address() {
    return Cluster.get(system.classicSystem()).selfAddress().toString();
  }

  /**
   * Stops the node: runs coordinated shutdown (leaving the cluster, handing off entities),
   * waits for the actor system to terminate and releases the data directory. Idempotent.
   */
  @Override
  public void close() {
    system.terminate();
    awaitTermination(system);
    dataDirectory.close();
  }

  private static void awaitMemberUp(ActorSystem<Void> system, NodeSettings settings) {
    Cluster cluster = Cluster.get(system.classicSystem());
    CompletableFuture<Void> up = new CompletableFuture<>();
    cluster.registerOnMemberUp(() -> up.complete(null));
    if (settings.profile() == Profile.EMBEDDED) {
      cluster.join(cluster.selfAddress());
    }
    await(up, settings.startupTimeout(), "joining the cluster");
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new WeirException("node did not finish " + what + " within " + timeout.toSeconds()
          + " s (weir.node.startup-timeout)", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new WeirException("node failed " + what + ": " + cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeirException("interrupted while " + what, e);
    }
  }

  private static void awaitTermination(ActorSystem<?> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("actor system did not terminate cleanly: {}", e.toString());
    }
  }
}
