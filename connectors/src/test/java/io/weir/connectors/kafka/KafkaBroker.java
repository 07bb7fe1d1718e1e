package io.weir.connectors.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real, single-node Kafka broker (KRaft, combined broker and controller) in a JVM of its own,
 * on 127.0.0.1 with free ports and its data in a temporary directory: formatted with Kafka's
 * {@code StorageTool format --standalone}, then run as {@code kafka.Kafka server.properties}.
 * The broker JVM gets this JVM's class path and flags, so both sides run with the same heap and
 * GC. {@link #close()} (or, if this JVM exits first, a shutdown hook) stops it and deletes its
 * data.
 *
 * <p>Shared through weir-connectors' test-jar: the Kafka connector's tests, the pipeline tests
 * of cluster-config and the log benchmark (Weir's log against Kafka) all start one.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final Process process;
  private final String bootstrapServers;
  private final Thread shutdownHook;

  private KafkaBroker(Path dir, Process process, String bootstrapServers) {
    this.dir = dir;
    this.process = process;
    this.bootstrapServers = bootstrapServers;
    this.shutdownHook = new Thread(this::stop, "kafka-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Formats storage and starts the broker, then waits until it answers an admin request.
   *
   * @param jvmFlags the broker JVM's flags (heap, GC), never null
   * @return the running broker, never null
   * @throws IllegalStateException with the tail of the broker's log if it fails to start in time
   */
  public static KafkaBroker start(List<String> jvmFlags) throws Exception {
    Path dir = Files.createTempDirectory("weir-kafka-");
    Process process = null;
    try {
      int port = freePort();
      int controllerPort = freePort();
      Path properties = dir.resolve("server.properties");
      Files.writeString(properties, serverProperties(dir.resolve("data"), port, controllerPort));
      Path formatLog = dir.resolve("format.log");
      Process format = java(jvmFlags, List.of("kafka.tools.StorageTool", "format",
          "--cluster-id", Uuid.randomUuid().toString(), "--config", properties.toString(),
          "--standalone"), formatLog);
      if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting Kafka's storage failed:\n" + tail(formatLog));
      }
      Path brokerLog = dir.resolve("broker.log");
      process = java(jvmFlags, List.of("kafka.Kafka", properties.toString()), brokerLog);
      KafkaBroker broker = new KafkaBroker(dir, process, "127.0.0.1:" + port);
      broker.awaitReady(brokerLog);
      return broker;
    } catch (Exception | Error e) {
      if (process != null) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      deleteRecursively(dir);
      throw e;
    }
  }

  /**
   * Starts a broker with a small heap, for tests.
   *
   * @return the running broker, never null
   * @throws IllegalStateException with the tail of the broker's log if it fails to start in time
   */
  public static KafkaBroker start() throws Exception {
    return start(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
  }

  /**
   * Creates a topic and waits until it exists.
   *
   * @param topic its name
   * @param partitions how many partitions
   */
  public void createTopic(String topic, int partitions) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(props)) {
      admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions,
          (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
  }

  /** The broker's address, {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The Kafka version on the class path, which both the broker and the clients run. */
  public static String version() {
    try (var in = KafkaBroker.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Stops the broker (a clean shutdown, forced after 30 s) and deletes its data. Idempotent. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs stop() again, which is harmless.
    }
  }

  private synchronized void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    deleteRecursively(dir);
  }

  private void awaitReady(Path brokerLog) throws Exception {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    try (Admin admin = Admin.create(props)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Kafka broker exited with code "
              + process.exitValue() + ":\n" + tail(brokerLog));
        }
        try {
          admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
          return;
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the Kafka broker did not answer within "
                + STARTUP_TIMEOUT.toSeconds() + " s:\n" + tail(brokerLog));
          }
          Thread.sleep(200);
        }
      }
    }
  }

  private static Process java(List<String> jvmFlags, List<String> mainAndArgs, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(mainAndArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("WEIR_LOG_LEVEL", "WARN");
    return builder.start();
  }

  private static String serverProperties(Path data, int port, int controllerPort) {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", data.toString());
    // A single broker: internal topics with one replica.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    StringBuilder text = new StringBuilder();
    p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    return text.toString();
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary directory: what is left goes with the machine's temp cleanup.
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
