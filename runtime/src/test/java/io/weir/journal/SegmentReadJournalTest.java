package io.weir.journal;

import static io.weir.journal.JournalTestSupport.TIMEOUT;
import static io.weir.journal.JournalTestSupport.append;
import static io.weir.journal.JournalTestSupport.start;
import static io.weir.journal.JournalTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read journal over the segment files, in the writer's JVM. */
class SegmentReadJournalTest {
  private static final String SETTINGS = """
      weir.journal.segments.segment-bytes = 4 KiB
      weir.journal.segments.index-interval-bytes = 512
      """;

  @TempDir Path dataDir;
  private ActorTestKit kit;
  private SegmentReadJournal readJournal;

  @BeforeEach
  void startSystem() {
    kit = start(dataDir, SETTINGS);
    readJournal = PersistenceQuery.get(Adapter.toClassic(kit.system()))
        .getReadJournalFor(SegmentReadJournal.class, SegmentReadJournal.IDENTIFIER);
  }

  @AfterEach
  void stopSystem() {
    kit.shutdownTestKit();
  }

  @Test
  void returnsTheEventsOfARangeInOrder() throws Exception {
    ActorRef<Ledger.Command> ledger = kit.spawn(Ledger.create("range/1"));
    for (int i = 0; i < 1000; i += 7) {
      append(kit, ledger, values("r", i, Math.min(1000, i + 7)));
    }

    List<EventEnvelope> events = query("range/1", 250, 750);

    assertEquals(LongStream.rangeClosed(250, 750).boxed().toList(),
        events.stream().map(EventEnvelope::sequenceNr).toList());
    for (EventEnvelope e : events) {
      assertEquals(new Ledger.Appended("r-" + (e.sequenceNr() - 1)), e.event());
      assertEquals("range/1", e.persistenceId());
      assertTrue(e.timestamp() > 0, "timestamp kept");
    }
    assertEquals(1000, query("range/1", 0, Long.MAX_VALUE).size());
    assertEquals(List.of(1000L), query("range/1", 1000, 5000).stream()
        .map(EventEnvelope::sequenceNr).toList());
  }

  @Test
  void seesEveryAcknowledgedEvent() throws Exception {
    ActorRef<Ledger.Command> ledger = kit.spawn(Ledger.create("live/1"));
    for (int i = 0; i < 40; i++) {
      append(kit, ledger, List.of("live-" + i));
      List<EventEnvelope> events = query("live/1", 1, Long.MAX_VALUE);
      assertEquals(i + 1, events.size());
      assertEquals(new Ledger.Appended("live-" + i), events.get(i).event());
    }
  }

  @Test
  void unknownPersistenceIdHasNoEvents() throws Exception {
    assertEquals(List.of(), query("never-written", 0, Long.MAX_VALUE));
  }

  private List<EventEnvelope> query(String persistenceId, long from, long to) throws Exception {
    return readJournal.currentEventsByPersistenceId(persistenceId, from, to)
        .runWith(Sink.seq(), kit.system())
        .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
