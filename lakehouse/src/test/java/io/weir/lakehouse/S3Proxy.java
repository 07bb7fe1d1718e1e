package io.weir.lakehouse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real S3-compatible server for tests: s3proxy 2.6.0 with its filesystem backend (buckets are
 * directories under {@link #root()}), on 127.0.0.1 at a free port, in a JVM of its own (its jar
 * with dependencies, copied to {@code target/s3proxy} by the build, carries Jetty, Jackson and
 * Guava versions of its own). Signs requests with AWS v4 against a fixed key.
 */
final class S3Proxy implements AutoCloseable {
  static final String ACCESS_KEY = "weir-test";
  static final String SECRET_KEY = "weir-test-secret";

  private final Process process;
  private final Path root;
  private final Path log;
  private final String endpoint;

  private S3Proxy(Process process, Path root, Path log, String endpoint) {
    this.process = process;
    this.root = root;
    this.log = log;
    this.endpoint = endpoint;
  }

  /**
   * Starts the server with these buckets and waits (up to 60 s) until it accepts connections.
   *
   * @param dir a directory for the backend, the configuration and the server's log
   */
  static S3Proxy start(Path dir, String... buckets) throws Exception {
    Path jar = Path.of(System.getProperty("weir.s3proxy.jar", "target/s3proxy/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no s3proxy jar at " + jar.toAbsolutePath()
          + ": the build copies it (maven-dependency-plugin, generate-test-resources)");
    }
    Path root = Files.createDirectories(dir.resolve("s3-root"));
    for (String bucket : buckets) {
      Files.createDirectories(root.resolve(bucket));
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=" + endpoint,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + root.toAbsolutePath()) + "\n");
    Path log = dir.resolve("s3proxy.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--properties");
    command.add(properties.toAbsolutePath().toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    S3Proxy proxy = new S3Proxy(process, root, log, endpoint);
    // a test JVM that exits without closing it (a crash, a timeout) takes the server along
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3proxy exited with " + process.exitValue() + ":\n"
            + Files.readString(log));
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return proxy;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          proxy.close();
          throw new IllegalStateException("s3proxy did not listen on " + endpoint
              + " within 60 s:\n" + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
  }

  /** Its URL, {@code http://127.0.0.1:PORT}. */
  String endpoint() {
    return endpoint;
  }

  /** The backend's directory: {@code root/bucket/key}. */
  Path root() {
    return root;
  }

  /** What the server printed. */
  String log() throws IOException {
    return Files.readString(log);
  }

  /** Settings reaching this server with path-style access and its key. */
  S3Settings settings() {
    return S3Settings.compatible(endpoint, "us-east-1", ACCESS_KEY, SECRET_KEY);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
