package io.weir.benchmarks.journal;

import io.weir.benchmarks.TempFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/**
 * One measured run: fresh data directory, {@code entities} batch logs persisting {@code
 * totalEvents} batches between them (each entity with a window of outstanding commands), then
 * a second actor system that replays them. Checks the stored data (count and checksum per
 * entity) before it reports a figure.
 */
final class JournalRun {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(120);
  private static final int WINDOW_PER_ENTITY = 32;

  /**
   * The figures of one run.
   *
   * @param writeEventsPerSecond persisted (acknowledged) events per second
   * @param writeMegabytesPerSecond record bytes persisted per second, in MB (10^6 bytes)
   * @param replayEventsPerSecond events per second when all entities recover at once
   */
  record Figures(double writeEventsPerSecond, double writeMegabytesPerSecond,
      double replayEventsPerSecond) {}

  private JournalRun() {}

  /** Runs the journal once in a new directory under {@code root}, which it deletes after. */
  static Figures run(JournalUnderTest journal, int entities, int totalEvents, List<byte[]> batches,
      Path root) throws Exception {
    Path dir = Files.createTempDirectory(root, journal.name() + "-" + entities + "e-");
    try {
      int perEntity = totalEvents / entities;
      List<BatchLog.State> expected = expectedStates(entities, perEntity, batches);
      long bytes = expected.stream().mapToLong(BatchLog.State::bytes).sum();
      double writeSeconds;
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "journal-bench",
          journal.config(dir));
      try {
        if (journal.isJdbc()) {
          SchemaUtils.createIfNotExists(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        List<ActorRef<BatchLog.Command>> logs = spawn(system, journal, entities);
        states(system, logs);
        long start = System.nanoTime();
        send(system, logs, perEntity, batches);
        writeSeconds = (System.nanoTime() - start) / 1e9;
        check(journal, "after writing", expected, states(system, logs));
      } finally {
        terminate(system);
      }
      double replaySeconds;
      ActorSystem<Void> replay = ActorSystem.create(Behaviors.empty(), "journal-bench",
          journal.config(dir));
      try {
        states(replay, List.of(replay.systemActorOf(
            BatchLog.create("warm-up", journal.pluginId()), "warm-up", Props.empty())));
        long start = System.nanoTime();
        List<BatchLog.State> recovered = states(replay, spawn(replay, journal, entities));
        replaySeconds = (System.nanoTime() - start) / 1e9;
        check(journal, "after replay", expected, recovered);
      } finally {
        terminate(replay);
      }
      long events = (long) perEntity * entities;
      return new Figures(events / writeSeconds, bytes / 1e6 / writeSeconds,
          events / replaySeconds);
    } finally {
      TempFiles.deleteRecursively(dir);
    }
  }

  private static List<ActorRef<BatchLog.Command>> spawn(ActorSystem<Void> system,
      JournalUnderTest journal, int entities) {
    List<ActorRef<BatchLog.Command>> logs = new ArrayList<>();
    for (int e = 0; e < entities; e++) {
      logs.add(system.systemActorOf(BatchLog.create("partition/" + e, journal.pluginId()),
          "log-" + e, Props.empty()));
    }
    return logs;
  }

  /**
   * Sends every batch, at most {@value #WINDOW_PER_ENTITY} in flight per entity, and waits for
   * every reply. Replies go to one small actor per entity that frees a window slot, so the
   * driver adds no thread hop or callback per event beyond the reply itself.
   */
  private static void send(ActorSystem<Void> system, List<ActorRef<BatchLog.Command>> logs,
      int perEntity, List<byte[]> batches) throws Exception {
    List<Semaphore> windows = new ArrayList<>();
    List<ActorRef<Long>> replyTo = new ArrayList<>();
    for (int e = 0; e < logs.size(); e++) {
      Semaphore window = new Semaphore(WINDOW_PER_ENTITY);
      windows.add(window);
      replyTo.add(system.systemActorOf(Behaviors.<Long>receiveMessage(count -> {
        window.release();
        return Behaviors.same();
      }), "replies-" + e + "-" + System.nanoTime(), Props.empty()));
    }
    for (int i = 0; i < perEntity; i++) {
      for (int e = 0; e < logs.size(); e++) {
        byte[] batch = batches.get(batchIndex(i, e, logs.size(), batches.size()));
        if (!windows.get(e).tryAcquire(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("entity " + e + " stopped replying (write failed?)");
        }
        logs.get(e).tell(new BatchLog.AppendBatch(batch, replyTo.get(e)));
      }
    }
    for (Semaphore window : windows) {
      if (!window.tryAcquire(WINDOW_PER_ENTITY, ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("writes did not complete within " + ASK_TIMEOUT);
      }
    }
  }

  private static List<BatchLog.State> states(ActorSystem<Void> system,
      List<ActorRef<BatchLog.Command>> logs) throws Exception {
    List<CompletableFuture<BatchLog.State>> asks = new ArrayList<>();
    for (ActorRef<BatchLog.Command> log : logs) {
      asks.add(AskPattern.<BatchLog.Command, BatchLog.State>ask(log, BatchLog.GetState::new,
          ASK_TIMEOUT, system.scheduler()).toCompletableFuture());
    }
    List<BatchLog.State> states = new ArrayList<>();
    for (CompletableFuture<BatchLog.State> ask : asks) {
      states.add(ask.get(ASK_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
    }
    return states;
  }

  private static List<BatchLog.State> expectedStates(int entities, int perEntity,
      List<byte[]> batches) {
    List<BatchLog.State> states = new ArrayList<>();
    for (int e = 0; e < entities; e++) {
      BatchLog.State state = BatchLog.State.EMPTY;
      for (int i = 0; i < perEntity; i++) {
        state = state.plus(batches.get(batchIndex(i, e, entities, batches.size())));
      }
      states.add(state);
    }
    return states;
  }

  private static int batchIndex(int i, int entity, int entities, int distinct) {
    return (i * entities + entity) % distinct;
  }

  private static void check(JournalUnderTest journal, String when,
      List<BatchLog.State> expected, List<BatchLog.State> actual) {
    if (!expected.equals(actual)) {
      throw new IllegalStateException(journal.name() + " " + when + ": stored data differs; "
          + "expected " + expected + " but found " + actual);
    }
  }

  private static void terminate(ActorSystem<Void> system) throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

}
