package io.weir.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** Starts actor systems on a temporary journal directory and drives {@link Ledger}s. */
final class JournalTestSupport {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private JournalTestSupport() {}

  /** A test kit whose data directory is {@code dataDir}, with extra settings on top. */
  static ActorTestKit start(Path dataDir, String extra) {
    Config config = ConfigFactory.parseString("""
        weir.data-dir = "%s"
        weir.journal.segments.fsync = always
        pekko.persistence.snapshot-store.plugin = "pekko.persistence.snapshot-store.local"
        pekko.persistence.snapshot-store.local.dir = "%s/snapshots"
        pekko.loglevel = WARNING
        %s
        """.formatted(dataDir.toString().replace("\\", "/"),
        dataDir.toString().replace("\\", "/"), extra));
    return ActorTestKit.create("journal-test", ConfigFactory.load(config));
  }

  /** Appends the values in one atomic write and waits for the reply; returns the new count. */
  static long append(ActorTestKit kit, ActorRef<Ledger.Command> ledger, List<String> values) {
    TestProbe<StatusReply<Long>> probe = kit.createTestProbe();
    ledger.tell(new Ledger.Append(values, probe.ref()));
    StatusReply<Long> reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply.isSuccess(), () -> "append failed: " + reply);
    return reply.getValue();
  }

  /** The state of a ledger. */
  static Ledger.State state(ActorTestKit kit, ActorRef<Ledger.Command> ledger) {
    TestProbe<Ledger.State> probe = kit.createTestProbe();
    ledger.tell(new Ledger.Get(probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  /** Spawns the ledger {@code persistenceId} and asserts that it recovered to {@code values}. */
  static ActorRef<Ledger.Command> assertRecovered(ActorTestKit kit, String persistenceId,
      List<String> values) {
    ActorRef<Ledger.Command> ledger = kit.spawn(Ledger.create(persistenceId));
    assertEquals(Ledger.expected(values), state(kit, ledger), persistenceId);
    return ledger;
  }

  /** Values {@code prefix-from} .. {@code prefix-(to-1)}. */
  static List<String> values(String prefix, int from, int to) {
    List<String> values = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      values.add(prefix + "-" + i);
    }
    return values;
  }

  /** The segment files of a persistence id directory, in seqNr order. */
  static List<Path> segments(Path dataDir, String directoryName) throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("log-journal").resolve(directoryName))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".seg"))
          .sorted(Comparator.comparing(Path::toString)).toList();
    }
  }

  /** The last segment file of a persistence id directory. */
  static Path tailSegment(Path dataDir, String directoryName) throws IOException {
    List<Path> segments = segments(dataDir, directoryName);
    return segments.get(segments.size() - 1);
  }
}
