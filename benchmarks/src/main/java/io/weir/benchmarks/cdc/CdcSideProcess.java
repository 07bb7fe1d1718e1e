package io.weir.benchmarks.cdc;

import io.weir.benchmarks.WorkerProcess;
import io.weir.benchmarks.log.BrokerFlags;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One side of {@code bench cdc} in a JVM of its own — {@link WeirCdcWorker} on this JVM's class
 * path, or Debezium's worker on the peer module's — started with this JVM's memory and GC flags
 * ({@link BrokerFlags}) and driven line by line. With the environment variable
 * {@code WEIR_BENCH_JFR} set to a directory, each worker records a flight recording there
 * ({@code weir.jfr}, {@code debezium.jfr}, profile settings). Not thread-safe.
 */
final class CdcSideProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(12);
  private static final String PEER_CLASSPATH = "debezium-peer.classpath";

  /** A run's figures, as the worker measured them. */
  record Run(long nanos, long count, long checksum) {
    /** Events per second. */
    double perSecond() {
      return count * 1e9 / Math.max(1, nanos);
    }
  }

  private final String name;
  private final WorkerProcess worker;

  private CdcSideProcess(String name, WorkerProcess worker) {
    this.name = name;
    this.worker = worker;
  }

  /** Starts Weir's worker on this JVM's class path. */
  static CdcSideProcess weir(CdcDatabase db) throws IOException {
    return start("weir", ownClassPath(), List.of(), WeirCdcWorker.class.getName(),
        List.of(db.jdbcUrl(), db.user(), db.password(), CdcDatabase.TABLE));
  }

  /** Starts Debezium's worker on the peer module's class path. */
  static CdcSideProcess debezium(CdcDatabase db) throws IOException {
    return start("debezium", peerClassPath(),
        List.of("-Dlogback.configurationFile=debezium-peer-logback.xml"),
        "io.weir.benchmarks.cdc.peer.DebeziumCdcWorker",
        List.of("localhost", Integer.toString(db.port()), db.database(), db.user(),
            db.password(), CdcDatabase.TABLE));
  }

  private static CdcSideProcess start(String name, String classPath, List<String> properties,
      String mainClass, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags());
    String recordings = System.getenv("WEIR_BENCH_JFR");
    if (recordings != null && !recordings.isBlank()) { // a profile of each side, for tuning
      command.add("-XX:StartFlightRecording=settings=profile,filename="
          + Path.of(recordings, name + ".jfr"));
    }
    command.addAll(properties);
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(args);
    return new CdcSideProcess(name, WorkerProcess.start(name, command, WeirCdcWorker.DONE,
        WeirCdcWorker.FAILED, START_TIMEOUT));
  }

  /** The memory and GC flags both workers run with, this JVM's. */
  static List<String> flags() {
    return BrokerFlags.from(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /** This JVM's class path: under Maven's surefire, the test class path. */
  private static String ownClassPath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire
        : System.getProperty("java.class.path");
  }

  /**
   * The Debezium peer's class path: its own jar (or classes directory), where the resource
   * {@value #PEER_CLASSPATH} lies, then the jars that resource lists.
   */
  static String peerClassPath() throws IOException {
    URL url = CdcSideProcess.class.getClassLoader().getResource(PEER_CLASSPATH);
    if (url == null) {
      throw new IllegalStateException(PEER_CLASSPATH + " is not on the class path: build the "
          + "module benchmarks/debezium-peer (mvn -pl benchmarks -am package)");
    }
    String home;
    try {
      if (url.getProtocol().equals("jar")) {
        String file = url.getPath(); // file:/…/x.jar!/debezium-peer.classpath
        home = Path.of(new URL(file.substring(0, file.indexOf("!/"))).toURI()).toString();
      } else {
        home = Path.of(url.toURI()).getParent().toString();
      }
    } catch (URISyntaxException e) {
      throw new IOException("cannot locate the Debezium peer from " + url, e);
    }
    try (InputStream in = url.openStream()) {
      return home + java.io.File.pathSeparator
          + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  /** The side's name, {@code weir} or {@code debezium}. */
  String name() {
    return name;
  }

  /**
   * One timed run in the worker.
   *
   * @param command {@code snapshot} or {@code stream}
   * @param slot the replication slot
   * @param publication the publication
   * @param expected how many events the run waits for
   */
  Run run(String command, String slot, String publication, long expected) throws IOException {
    worker.send(String.format(Locale.ROOT, "%s %s %s %d", command, slot, publication,
        expected));
    String[] a = worker.answer(RUN_TIMEOUT);
    return new Run(Long.parseLong(a[1]), Long.parseLong(a[2]), Long.parseLong(a[3]));
  }

  @Override
  public void close() {
    worker.close();
  }
}
