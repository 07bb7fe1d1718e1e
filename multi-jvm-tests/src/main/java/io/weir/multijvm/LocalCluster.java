package io.weir.multijvm;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * N worker JVMs on 127.0.0.1 that form one Weir cluster with the {@code cluster} profile,
 * sharing one embedded PostgreSQL as their journal: the harness of the failover tests.
 *
 * <p>{@link #LocalCluster(Path, int, String)} starts PostgreSQL, creates the database and picks
 * a free port for every node; the first two nodes are the seed nodes (a node started again
 * joins through the running ones). {@link #start(int, Class, List)} writes node {@code i}'s configuration file ({@code node-i.conf}, what
 * {@code ./weir node --profile cluster --config FILE} reads) and starts the worker with the
 * arguments {@code CONFIG-FILE DATA-DIR} followed by the given ones. A killed node can be started
 * again on the same port and data directory.
 *
 * <p>Failure detection is tightened for tests: heartbeats pause at most 2 s, the split brain
 * resolver decides after 2 s of stability, so a killed node is downed in about 5 s.
 *
 * <p>Not thread-safe: one test thread drives it. {@link #close()} kills every worker and stops
 * PostgreSQL.
 */
public final class LocalCluster implements AutoCloseable {
  private final Path dir;
  private final EmbeddedPostgres postgres;
  private final String database;
  private final int[] ports;
  private final WorkerJvm[] workers;
  private final String extraConfig;
  /** Every worker ever started, in order, as node index and worker: killed ones stay. */
  private final List<Map.Entry<Integer, WorkerJvm>> history = new ArrayList<>();
  private Path logDir;
  /** The first two nodes' first addresses. */
  private final List<String> seedAddresses = new ArrayList<>();

  /**
   * Starts PostgreSQL and reserves the nodes' ports; starts no node.
   *
   * @param dir where configuration files and data directories go, never null
   * @param nodes how many nodes the cluster may have, at least 1
   * @param extraConfig HOCON added to every node's configuration file, never null
   * @throws IOException if PostgreSQL cannot start or no port is free
   */
  public LocalCluster(Path dir, int nodes, String extraConfig) throws Exception {
    this.dir = dir;
    this.extraConfig = extraConfig;
    this.database = "weir";
    this.ports = new int[nodes];
    this.workers = new WorkerJvm[nodes];
    Set<Integer> taken = new HashSet<>();
    for (int i = 0; i < nodes; i++) {
      int port;
      do {
        port = freePort();
      } while (!taken.add(port));
      ports[i] = port;
    }
    for (int i = 0; i < Math.min(2, nodes); i++) {
      seedAddresses.add(address(i));
    }
    postgres = EmbeddedPostgres.builder()
        .setServerConfig("max_connections", "200")
        .start();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
  }

  /** The JDBC URL of the shared journal database. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
  }

  /**
   * Gives node {@code i} a new free port for its next start: it comes back as a new address
   * instead of a new incarnation of the old one.
   */
  public void movePort(int i) throws IOException {
    int port;
    do {
      port = freePort();
    } while (contains(ports, port));
    ports[i] = port;
  }

  private static boolean contains(int[] values, int value) {
    for (int v : values) {
      if (v == value) {
        return true;
      }
    }
    return false;
  }

  /** The cluster address of node {@code i}. */
  public String address(int i) {
    return "pekko://weir@127.0.0.1:" + ports[i];
  }

  /** The data directory of node {@code i}. */
  public Path dataDir(int i) {
    return dir.resolve("node-" + i);
  }

  /**
   * Writes node {@code i}'s configuration file and starts its worker JVM.
   *
   * @param i the node's index
   * @param main the worker's main class; its arguments start with the configuration file and the
   *     data directory
   * @param args further arguments, never null
   * @return the running worker
   */
  public WorkerJvm start(int i, Class<?> main, List<String> args) throws IOException {
    return start(i, main, args, "");
  }

  /** Like {@link #start(int, Class, List)}, with HOCON added to this node's file only. */
  public WorkerJvm start(int i, Class<?> main, List<String> args, String nodeExtra)
      throws IOException {
    if (workers[i] != null && workers[i].isAlive()) {
      throw new IllegalStateException("node " + i + " runs already");
    }
    Path config = dir.resolve("node-" + i + ".conf");
    Files.writeString(config, nodeConfig(i) + nodeExtra + "\n");
    List<String> all = new ArrayList<>(List.of(config.toString(), dataDir(i).toString()));
    all.addAll(args);
    workers[i] = WorkerJvm.start(main, all, dir);
    history.add(Map.entry(i, workers[i]));
    return workers[i];
  }

  /** The configuration file of node {@code i}: what an operator would write for a machine. */
  public String nodeConfig(int i) {
    // The first nodes' addresses at the start; for a node started again, the nodes running now.
    List<String> running = alive().stream().filter(n -> n != i).map(this::address).toList();
    String seeds = (running.isEmpty() ? seedAddresses : running).stream()
        .map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
    return """
        weir.node.profile = cluster
        weir.node.startup-timeout = 90s
        pekko.remote.artery.canonical.hostname = "127.0.0.1"
        pekko.remote.artery.canonical.port = %d
        pekko.cluster.seed-nodes = [%s]
        pekko.cluster.seed-node-timeout = 2s
        pekko.cluster.retry-unsuccessful-join-after = 2s
        pekko.cluster.failure-detector.acceptable-heartbeat-pause = 2s
        pekko.cluster.split-brain-resolver.stable-after = 2s
        weir.journal { url = "%s", user = "postgres", password = "postgres", max-connections = 4 }
        %s
        """.formatted(ports[i], seeds, jdbcUrl(), extraConfig);
  }

  /** Every worker started so far, killed ones included, as node index and worker, in order. */
  public List<Map.Entry<Integer, WorkerJvm>> history() {
    return List.copyOf(history);
  }

  /**
   * Keeps every worker's standard output and error in {@code dir} when the cluster closes
   * ({@code node-i-n.out} / {@code .err}, n counting the node's incarnations): for post-mortems.
   */
  public LocalCluster keepLogsIn(Path dir) {
    this.logDir = dir;
    return this;
  }

  /** Node {@code i}'s worker, or null if it was never started. */
  public WorkerJvm worker(int i) {
    return workers[i];
  }

  /** How many nodes the cluster may have. */
  public int size() {
    return ports.length;
  }

  /** The indexes of the nodes whose worker runs. */
  public List<Integer> alive() {
    List<Integer> alive = new ArrayList<>();
    for (int i = 0; i < workers.length; i++) {
      if (workers[i] != null && workers[i].isAlive()) {
        alive.add(i);
      }
    }
    return alive;
  }

  /**
   * Stops node {@code i} gracefully with SIGTERM (it leaves the cluster and hands its shards
   * over) and waits until it has exited.
   */
  public void stop(int i, Duration timeout) throws InterruptedException {
    workers[i].terminate(timeout);
  }

  /** Kills node {@code i} with SIGKILL. */
  public void kill(int i) throws InterruptedException {
    workers[i].kill();
  }

  /**
   * Waits until every running worker printed {@code MEMBERS n} or more (see
   * {@code ClusterWorker}): the cluster has formed.
   */
  public void awaitMembers(int n, Duration timeout) throws InterruptedException {
    for (int i : alive()) {
      workers[i].awaitLine(l -> l.startsWith("MEMBERS ")
          && Integer.parseInt(l.substring(8).trim()) >= n, timeout);
    }
  }

  /** Kills every worker still running and stops PostgreSQL. */
  @Override
  public void close() throws Exception {
    for (WorkerJvm w : workers) {
      if (w != null) {
        w.close();
      }
    }
    if (logDir != null) {
      Files.createDirectories(logDir);
      Map<Integer, Integer> incarnation = new java.util.HashMap<>();
      for (Map.Entry<Integer, WorkerJvm> e : history) {
        int n = incarnation.merge(e.getKey(), 1, Integer::sum);
        String name = "node-" + e.getKey() + "-" + n;
        Files.write(logDir.resolve(name + ".out"), e.getValue().stdout());
        Files.writeString(logDir.resolve(name + ".err"), e.getValue().stderr());
      }
    }
    postgres.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
