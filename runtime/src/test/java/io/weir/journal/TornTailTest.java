package io.weir.journal;

import static io.weir.journal.JournalTestSupport.append;
import static io.weir.journal.JournalTestSupport.assertRecovered;
import static io.weir.journal.JournalTestSupport.start;
import static io.weir.journal.JournalTestSupport.tailSegment;
import static io.weir.journal.JournalTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Damage to the tail segment between runs: recovery drops exactly the damaged part, keeps
 * every intact event, says so in the log, and the journal keeps accepting writes.
 */
class TornTailTest {
  private static final String PID = "torn/0";
  private static final String DIR = "torn%2F0";

  @TempDir Path dataDir;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger recoveryLogger =
      (Logger) LoggerFactory.getLogger("io.weir.journal.internal.TailRecovery");

  @BeforeEach
  void captureLog() {
    log.start();
    recoveryLogger.addAppender(log);
  }

  @AfterEach
  void releaseLog() {
    recoveryLogger.detachAppender(log);
  }

  @Test
  void garbageAfterTheLastEntryIsDropped() throws IOException {
    List<String> written = writeSession(new ArrayList<>(), 50);
    Path tail = tailSegment(dataDir, DIR);
    long size = Files.size(tail);
    byte[] garbage = new byte[37];
    new Random(42).nextBytes(garbage);
    Files.write(tail, garbage, StandardOpenOption.APPEND);

    ActorTestKit kit = start(dataDir, "");
    try {
      assertRecovered(kit, PID, written);
      assertEquals(size, Files.size(tail), "the garbage and nothing else was dropped");
    } finally {
      kit.shutdownTestKit();
    }
    assertWarned(tail, 37);
    recoverThenKeepWriting(written);
  }

  @Test
  void preallocatedZerosLeftByACrashAreTrimmedQuietly() throws IOException {
    List<String> written = writeSession(new ArrayList<>(), 20);
    Path tail = tailSegment(dataDir, DIR);
    long size = Files.size(tail);
    Files.write(tail, new byte[64 * 1024], StandardOpenOption.APPEND);

    ActorTestKit kit = start(dataDir, "");
    try {
      assertRecovered(kit, PID, written);
      assertEquals(size, Files.size(tail));
    } finally {
      kit.shutdownTestKit();
    }
    assertTrue(log.list.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN)),
        () -> "zeros are preallocation, not damage: " + log.list);
    recoverThenKeepWriting(written);
  }

  @Test
  void entryTruncatedMidwayIsDropped() throws IOException {
    List<String> written = writeSession(new ArrayList<>(), 50);
    Path tail = tailSegment(dataDir, DIR);
    long intact = Files.size(tail);
    writeSession(new ArrayList<>(written), 1);
    long torn = intact + (Files.size(tail) - intact) / 2;
    try (RandomAccessFile file = new RandomAccessFile(tail.toFile(), "rw")) {
      file.setLength(torn);
    }

    assertRepairedTo(tail, intact, written, torn - intact);
  }

  @Test
  void corruptCrcInTheLastEntryIsDetected() throws IOException {
    List<String> written = writeSession(new ArrayList<>(), 50);
    Path tail = tailSegment(dataDir, DIR);
    long intact = Files.size(tail);
    writeSession(new ArrayList<>(written), 1);
    long full = Files.size(tail);
    flipByte(tail, intact + (full - intact) / 2);

    assertRepairedTo(tail, intact, written, full - intact);
  }

  @Test
  void corruptEntryFollowedByValidOnesIsQuarantined() throws IOException {
    List<String> written = writeSession(new ArrayList<>(), 40);
    Path tail = tailSegment(dataDir, DIR);
    long intact = Files.size(tail);
    writeSession(new ArrayList<>(written), 10);
    long full = Files.size(tail);
    flipByte(tail, intact + 30);

    ActorTestKit kit = start(dataDir, "");
    try {
      assertRecovered(kit, PID, written);
      assertEquals(intact, Files.size(tail));
    } finally {
      kit.shutdownTestKit();
    }
    Path copy = tail.resolveSibling(tail.getFileName() + ".dropped-" + intact);
    assertEquals(full - intact, Files.size(copy), "the dropped bytes are kept aside");
    assertTrue(log.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR
        && e.getFormattedMessage().contains(PID)), "an ERROR names the persistence id");
    recoverThenKeepWriting(written);
  }

  /** Appends {@code count} values in atomic writes of up to 5, in one actor system run. */
  private List<String> writeSession(List<String> written, int count) {
    ActorTestKit kit = start(dataDir, "");
    try {
      ActorRef<Ledger.Command> ledger = kit.spawn(Ledger.create(PID));
      int end = written.size() + count;
      while (written.size() < end) {
        List<String> batch = values("t", written.size(), Math.min(end, written.size() + 5));
        append(kit, ledger, batch);
        written.addAll(batch);
      }
    } finally {
      kit.shutdownTestKit();
    }
    return written;
  }

  /** Recovers, appends one more value, and recovers again with it. */
  private void recoverThenKeepWriting(List<String> written) {
    ActorTestKit kit = start(dataDir, "");
    try {
      ActorRef<Ledger.Command> ledger = assertRecovered(kit, PID, written);
      append(kit, ledger, List.of("after-repair"));
      written.add("after-repair");
    } finally {
      kit.shutdownTestKit();
    }
    ActorTestKit again = start(dataDir, "");
    try {
      assertRecovered(again, PID, written);
    } finally {
      again.shutdownTestKit();
    }
  }

  private void assertWarned(Path tail, long bytesDropped) {
    assertTrue(log.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
            && e.getFormattedMessage().contains(PID)
            && e.getFormattedMessage().contains(tail.toString())
            && e.getFormattedMessage().contains(bytesDropped + " bytes dropped")),
        () -> "expected a WARN for " + bytesDropped + " bytes, got " + log.list);
  }

  private static void flipByte(Path file, long position) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int b = raf.read();
      raf.seek(position);
      raf.write(b ^ 0x5A);
    }
  }

  /**
   * Restarts on the damaged data: recovery keeps exactly the acknowledged entries, cuts the tail
   * back to {@code intact} bytes, reports {@code dropped} bytes, and the journal goes on.
   */
  private void assertRepairedTo(Path tail, long intact, List<String> written, long dropped)
      throws IOException {
    ActorTestKit kit = start(dataDir, "");
    try {
      assertRecovered(kit, PID, written);
      assertEquals(intact, Files.size(tail));
    } finally {
      kit.shutdownTestKit();
    }
    assertWarned(tail, dropped);
    recoverThenKeepWriting(written);
  }
}
