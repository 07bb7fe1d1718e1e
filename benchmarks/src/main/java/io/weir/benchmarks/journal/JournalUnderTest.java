package io.weir.benchmarks.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;

/**
 * A journal configuration the benchmark measures: Weir's segment journal with one fsync policy,
 * or pekko-persistence-jdbc on an H2 file as the embedded profile configures it.
 *
 * @param name the short name used in output, never null
 * @param pluginId the journal plugin id the entities use, never null
 * @param durability what an acknowledged write survives, for the report, never null
 */
record JournalUnderTest(String name, String pluginId, String durability) {
  /** Weir's segment journal, every write fsynced before its acknowledgement. */
  static final JournalUnderTest SEGMENTS_ALWAYS = segments("always",
      "fsync before ack (group commit)");
  /** Weir's segment journal, fsync every 100 ms. */
  static final JournalUnderTest SEGMENTS_INTERVAL = segments("interval",
      "OS write before ack, fsync every 100 ms");
  /** Weir's segment journal, no fsync. */
  static final JournalUnderTest SEGMENTS_NEVER = segments("never", "OS write before ack");
  /** pekko-persistence-jdbc 1.1.1 on an H2 2.x file, the embedded profile's general journal. */
  static final JournalUnderTest JDBC_H2 = new JournalUnderTest("jdbc-h2", "jdbc-journal",
      "H2 commit (MVStore default: no fsync per commit)");

  private static JournalUnderTest segments(String policy, String durability) {
    return new JournalUnderTest("segments-" + policy, "weir.journal.segments", durability);
  }

  /** Whether this is the peer (JDBC) rather than Weir. */
  boolean isJdbc() {
    return this == JDBC_H2;
  }

  /** The actor system configuration for a run whose data lives in {@code dataDir}. */
  Config config(Path dataDir) {
    String dir = dataDir.toAbsolutePath().toString().replace("\\", "/");
    Config common = ConfigFactory.parseString("""
        weir.data-dir = "%s"
        pekko.actor.provider = local
        pekko.loglevel = WARNING
        pekko.log-dead-letters = off
        pekko.coordinated-shutdown.exit-jvm = off
        """.formatted(dir));
    if (isJdbc()) {
      return ConfigFactory.load(
          common.withFallback(ConfigFactory.parseResources("weir/profiles/embedded.conf")));
    }
    return ConfigFactory.load(common.withFallback(ConfigFactory.parseString("""
        weir.journal.segments.fsync = %s
        pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
        pekko.persistence.snapshot-store.local.dir = "%s/snapshots"
        """.formatted(name.substring("segments-".length()), dir))));
  }
}
