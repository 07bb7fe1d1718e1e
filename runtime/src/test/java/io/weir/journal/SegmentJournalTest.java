package io.weir.journal;

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
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The segment journal under an event-sourced entity: writes, restarts and recovery. */
class SegmentJournalTest {
  @TempDir Path dataDir;

  @Test
  void stateComesBackAfterRestart() {
    long seed = System.nanoTime();
    System.out.println("stateComesBackAfterRestart seed=" + seed);
    Random random = new Random(seed);
    List<String> written = new ArrayList<>();
    ActorTestKit kit = start(dataDir, "");
    try {
      ActorRef<Ledger.Command> ledger = kit.spawn(Ledger.create("orders/0"));
      while (written.size() < 300) {
        List<String> batch = values("v", written.size(), written.size() + 1 + random.nextInt(5));
        assertEquals(written.size() + batch.size(), append(kit, ledger, batch));
        written.addAll(batch);
      }
    } finally {
      kit.shutdownTestKit();
    }
    ActorTestKit again = start(dataDir, "");
    try {
      ActorRef<Ledger.Command> ledger = assertRecovered(again, "orders/0", written);
      append(again, ledger, List.of("after-restart"));
      written.add("after-restart");
    } finally {
      again.shutdownTestKit();
    }
    ActorTestKit third = start(dataDir, "");
    try {
      assertRecovered(third, "orders/0", written);
    } finally {
      third.shutdownTestKit();
    }
  }

  @Test
  void replaysThousandsOfEventsAcrossSegments() throws Exception {
    String settings = "weir.journal.segments.segment-bytes = 64 KiB";
    List<String> written = values("event-with-some-padding-to-fill-segments", 0, 5000);
    ActorTestKit kit = start(dataDir, settings);
    try {
      ActorRef<Ledger.Command> ledger = kit.spawn(Ledger.create("topic/3"));
      for (int i = 0; i < written.size(); i += 10) {
        append(kit, ledger, written.subList(i, i + 10));
      }
    } finally {
      kit.shutdownTestKit();
    }
    assertTrue(segments(dataDir, "topic%2F3").size() > 3, "the log rolled into several segments");
    ActorTestKit again = start(dataDir, settings);
    try {
      assertRecovered(again, "topic/3", written);
    } finally {
      again.shutdownTestKit();
    }
  }

  @Test
  void concurrentEntitiesAllRecover() {
    int entities = 8;
    int appendsEach = 150;
    ActorTestKit kit = start(dataDir, "");
    try {
      TestProbe<StatusReply<Long>> probe = kit.createTestProbe();
      List<ActorRef<Ledger.Command>> ledgers = new ArrayList<>();
      for (int e = 0; e < entities; e++) {
        ledgers.add(kit.spawn(Ledger.create("group-commit/" + e)));
      }
      for (int i = 0; i < appendsEach; i++) {
        for (int e = 0; e < entities; e++) {
          ledgers.get(e).tell(new Ledger.Append(List.of("e" + e + "-" + i), probe.ref()));
        }
      }
      for (int i = 0; i < entities * appendsEach; i++) {
        assertTrue(probe.receiveMessage(JournalTestSupport.TIMEOUT).isSuccess());
      }
    } finally {
      kit.shutdownTestKit();
    }
    ActorTestKit again = start(dataDir, "");
    try {
      for (int e = 0; e < entities; e++) {
        assertRecovered(again, "group-commit/" + e, values("e" + e, 0, appendsEach));
      }
    } finally {
      again.shutdownTestKit();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"always", "interval", "never"})
  void everyFsyncPolicyStoresAndRecovers(String policy) {
    String settings = """
        weir.journal.segments.fsync = %s
        weir.journal.segments.fsync-interval = 20 ms
        weir.journal.segments.segment-bytes = 8 KiB
        """.formatted(policy);
    ActorTestKit kit = start(dataDir, settings);
    try {
      for (int e = 0; e < 3; e++) {
        ActorRef<Ledger.Command> ledger = kit.spawn(Ledger.create(policy + "-" + e));
        for (int i = 0; i < 200; i += 4) {
          append(kit, ledger, values("p" + e, i, i + 4));
        }
      }
    } finally {
      kit.shutdownTestKit();
    }
    ActorTestKit again = start(dataDir, settings);
    try {
      for (int e = 0; e < 3; e++) {
        assertRecovered(again, policy + "-" + e, values("p" + e, 0, 200));
      }
    } finally {
      again.shutdownTestKit();
    }
  }
}
