package io.weir.journal;

import static io.weir.journal.JournalTestSupport.TIMEOUT;
import static io.weir.journal.JournalTestSupport.append;
import static io.weir.journal.JournalTestSupport.assertRecovered;
import static io.weir.journal.JournalTestSupport.segments;
import static io.weir.journal.JournalTestSupport.start;
import static io.weir.journal.JournalTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.DeleteMessagesSuccess;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deleteMessagesTo: whole segments go, the deletion point survives restarts. */
class DeleteMessagesTest {
  private static final String PID = "retention/7";
  private static final String SETTINGS = "weir.journal.segments.segment-bytes = 2 KiB";

  @TempDir Path dataDir;

  @Test
  void deletedEventsStayDeletedAndTheHighestSeqNrIsKept() throws Exception {
    List<String> written = values("d", 0, 400);
    ActorTestKit kit = start(dataDir, SETTINGS);
    try {
      ActorRef<Ledger.Command> ledger = kit.spawn(Ledger.create(PID));
      for (int i = 0; i < written.size(); i += 4) {
        append(kit, ledger, written.subList(i, i + 4));
      }
    } finally {
      kit.shutdownTestKit();
    }
    int segmentsBefore = segments(dataDir, "retention%2F7").size();

    ActorTestKit deleting = start(dataDir, SETTINGS);
    try {
      deleteTo(deleting, 250);
      assertRecovered(deleting, PID, written.subList(250, 400));
    } finally {
      deleting.shutdownTestKit();
    }
    List<Path> left = segments(dataDir, "retention%2F7");
    assertTrue(left.size() < segmentsBefore, "whole segments below 250 were removed");
    long firstBase = Long.parseLong(left.get(0).getFileName().toString().substring(0, 20));
    assertTrue(firstBase > 1 && firstBase <= 251, "segment holding 251 is kept: " + firstBase);

    ActorTestKit restarted = start(dataDir, SETTINGS);
    try {
      ActorRef<Ledger.Command> ledger =
          assertRecovered(restarted, PID, written.subList(250, 400));
      append(restarted, ledger, List.of("next"));
      assertEquals(List.of(401L), seqNrs(restarted, 401));
      deleteTo(restarted, Long.MAX_VALUE);
    } finally {
      restarted.shutdownTestKit();
    }

    ActorTestKit empty = start(dataDir, SETTINGS);
    try {
      ActorRef<Ledger.Command> ledger = assertRecovered(empty, PID, List.of());
      append(empty, ledger, List.of("after-everything-deleted"));
      assertEquals(List.of(402L), seqNrs(empty, 0));
    } finally {
      empty.shutdownTestKit();
    }
  }

  private static void deleteTo(ActorTestKit kit, long toSeqNr) {
    TestProbe<Object> probe = kit.createTestProbe();
    Persistence.get(Adapter.toClassic(kit.system()))
        .journalFor("weir.journal.segments", com.typesafe.config.ConfigFactory.empty())
        .tell(new JournalProtocol.DeleteMessagesTo(PID, toSeqNr, Adapter.toClassic(probe.ref())),
            org.apache.pekko.actor.ActorRef.noSender());
    Object reply = probe.receiveMessage(TIMEOUT);
    assertTrue(reply instanceof DeleteMessagesSuccess, () -> "delete failed: " + reply);
  }

  private static List<Long> seqNrs(ActorTestKit kit, long from) throws Exception {
    SegmentReadJournal readJournal = PersistenceQuery.get(Adapter.toClassic(kit.system()))
        .getReadJournalFor(SegmentReadJournal.class, SegmentReadJournal.IDENTIFIER);
    List<Long> seqNrs = new ArrayList<>();
    for (EventEnvelope e : readJournal.currentEventsByPersistenceId(PID, from, Long.MAX_VALUE)
        .runWith(Sink.seq(), kit.system()).toCompletableFuture()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      seqNrs.add(e.sequenceNr());
    }
    return seqNrs;
  }
}
