package io.weir.journal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing JVM with SIGKILL (no shutdown hooks, the tail left preallocated and
 * unclosed) and checks that every acknowledged write is there, intact, after recovery, and
 * that the partition accepts the next write.
 */
class ProcessCrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesAKill() throws Exception {
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath,
        CrashingWriter.class.getName(), dir.toString(), "crash/1")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    long acknowledged = 0;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged < 400 && (line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acknowledged = Long.parseLong(line.substring(4));
        }
      }
      child.toHandle().destroyForcibly(); // SIGKILL; unlike Process.destroy*, keeps the pipe
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the writer was killed");
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acknowledged = Long.parseLong(line.substring(4));
        }
      }
    } finally {
      child.destroyForcibly();
    }
    assertTrue(acknowledged >= 400, "the writer acknowledged " + acknowledged + " writes");

    JournalSettings settings = new JournalSettings(dir, 64 * 1024, FsyncPolicy.ALWAYS,
        Duration.ofMillis(100), 1024);
    try (SegmentStore store = SegmentStore.open(settings)) {
      long highest = store.highestSeqNr("crash/1");
      assertTrue(highest >= acknowledged, highest + " < acknowledged " + acknowledged);
      long expected = 1;
      try (SegmentCursor cursor = store.cursor("crash/1", 1, Long.MAX_VALUE, Long.MAX_VALUE)) {
        List<StoredEvent> frame;
        while ((frame = cursor.next()) != null) {
          for (StoredEvent e : frame) {
            assertEquals(expected, e.seqNr());
            assertEquals((byte) expected, e.payload()[(int) (expected % e.payload().length)]);
            expected++;
          }
        }
      }
      assertEquals(highest + 1, expected, "every stored event is readable, in order");
      store.write(List.of(new EncodedWrite("crash/1", highest + 1, highest + 1,
          FrameCodec.encode(List.of(new StoredEvent(highest + 1, 0, "", "", 4, "",
              new byte[1])))))).get(10, TimeUnit.SECONDS);
      assertEquals(highest + 1, store.highestSeqNr("crash/1"));
    }
    assertTrue(new File(dir.toFile(), "crash%2F1").isDirectory());
  }
}
