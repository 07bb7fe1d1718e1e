package io.weir.journal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.api.WeirException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage layer without Pekko: group commit, cursors, segments and the directory lock. */
class SegmentStoreTest {
  @TempDir Path dir;

  private JournalSettings settings(long segmentBytes) {
    return new JournalSettings(dir, segmentBytes, FsyncPolicy.ALWAYS, Duration.ofMillis(100),
        256);
  }

  private static EncodedWrite write(String pid, long first, int count) {
    List<StoredEvent> events = new ArrayList<>();
    for (long s = first; s < first + count; s++) {
      events.add(new StoredEvent(s, s, "w", "", 4, "", ("event-" + s).getBytes()));
    }
    return new EncodedWrite(pid, first, first + count - 1, FrameCodec.encode(events));
  }

  private static List<Long> read(SegmentStore store, String pid, long from, long to, long max)
      throws IOException {
    List<Long> seqNrs = new ArrayList<>();
    try (SegmentCursor cursor = store.cursor(pid, from, to, max)) {
      List<StoredEvent> frame;
      while ((frame = cursor.next()) != null) {
        frame.forEach(e -> seqNrs.add(e.seqNr()));
      }
    }
    return seqNrs;
  }

  @Test
  void concurrentWritesOfManyPartitionsAllLandAndSurviveReopening() throws Exception {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    try (SegmentStore store = SegmentStore.open(settings(4096))) {
      for (long s = 1; s <= 300; s += 3) {
        for (int p = 0; p < 5; p++) {
          acks.add(store.write(List.of(write("p" + p, s, 3))));
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertEquals(300, store.highestSeqNr("p4"));
    }
    try (SegmentStore store = SegmentStore.open(settings(4096))) {
      for (int p = 0; p < 5; p++) {
        assertEquals(LongStream.rangeClosed(1, 300).boxed().toList(),
            read(store, "p" + p, 1, Long.MAX_VALUE, Long.MAX_VALUE));
      }
    }
    try (Stream<Path> files = Files.list(dir.resolve("p0"))) {
      assertTrue(files.filter(f -> f.toString().endsWith(".seg")).count() > 3);
    }
  }

  @Test
  void aReopenedFullTailRollsOnTheNextWrite() throws Exception {
    JournalSettings never = new JournalSettings(dir, 2048, FsyncPolicy.NEVER,
        Duration.ofMillis(100), 256);
    long seqNr = 1;
    try (SegmentStore store = SegmentStore.open(never)) {
      Path tail = dir.resolve("p").resolve(Segment.fileName(1));
      do {
        store.write(List.of(write("p", seqNr++, 2))).get(10, TimeUnit.SECONDS);
        seqNr++;
      } while (Files.size(tail) + write("p", seqNr, 2).frame().remaining() <= 2048);
    }
    try (SegmentStore store = SegmentStore.open(never)) {
      store.write(List.of(write("p", seqNr, 2))).get(10, TimeUnit.SECONDS);
      assertTrue(Files.size(dir.resolve("p").resolve(Segment.fileName(1))) <= 2048);
      assertTrue(Files.exists(dir.resolve("p").resolve(Segment.fileName(seqNr))),
          "the write went to a new segment");
      assertEquals(LongStream.rangeClosed(1, seqNr + 1).boxed().toList(),
          read(store, "p", 1, Long.MAX_VALUE, Long.MAX_VALUE));
    }
  }

  @Test
  void cursorsHonourRangeAndMaxAcrossSegments() throws Exception {
    try (SegmentStore store = SegmentStore.open(settings(2048))) {
      for (long s = 1; s <= 500; s += 5) {
        store.write(List.of(write("p", s, 5))).get(10, TimeUnit.SECONDS);
      }
      assertEquals(LongStream.rangeClosed(123, 377).boxed().toList(),
          read(store, "p", 123, 377, Long.MAX_VALUE));
      assertEquals(LongStream.rangeClosed(498, 500).boxed().toList(),
          read(store, "p", 498, 9999, Long.MAX_VALUE));
      assertEquals(LongStream.rangeClosed(200, 209).boxed().toList(),
          read(store, "p", 200, 500, 10));
      assertEquals(List.of(), read(store, "p", 600, 700, 10));
      assertEquals(List.of(), read(store, "unknown", 1, 700, 10));
    }
  }

  @Test
  void aWriteThatDoesNotFollowTheHighestSeqNrFailsAlone() throws Exception {
    try (SegmentStore store = SegmentStore.open(settings(4096))) {
      store.write(List.of(write("p", 1, 2))).get(10, TimeUnit.SECONDS);
      CompletableFuture<Void> stale = store.write(List.of(write("p", 2, 1)));
      CompletableFuture<Void> next = store.write(List.of(write("p", 3, 1)));
      assertThrows(Exception.class, () -> stale.get(10, TimeUnit.SECONDS));
      next.get(10, TimeUnit.SECONDS);
      assertEquals(List.of(1L, 2L, 3L), read(store, "p", 1, 10, 10));
    }
  }

  @Test
  void aDirectoryHasOneOwner() throws Exception {
    try (SegmentStore store = SegmentStore.open(settings(4096))) {
      WeirException e = assertThrows(WeirException.class,
          () -> SegmentStore.open(settings(4096)));
      assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }
    SegmentStore.open(settings(4096)).close();
  }
}
