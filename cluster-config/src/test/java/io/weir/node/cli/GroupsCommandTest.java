package io.weir.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.AssignmentStrategy;
import io.weir.log.api.CommitterSettings;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.Control;
import io.weir.log.api.Log;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.internal.GroupCoordinator;
import io.weir.node.WeirNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Keep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weir groups list|describe|reset} on a data directory a consumer group has used. */
class GroupsCommandTest {
  @TempDir Path temp;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  /** Produces 10 records to each of 2 partitions and lets group "billing" commit 20 of them. */
  private void consumeAndCommitTwenty(Path dataDir) throws Exception {
    try (WeirNode node = WeirNode.start(dataDir)) {
      Log log = node.weir().log();
      log.createTopic("orders", 2, Map.of()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      try (LogProducer producer = log.newProducer(ProducerSettings.defaults())) {
        for (int i = 0; i < 20; i++) {
          producer.send(ProducerRecord.of("orders", "key-" + i, "v" + i).withPartition(i % 2));
        }
      }
      AtomicInteger read = new AtomicInteger();
      Pair<Control, ?> running = log.committableSource(ConsumerGroupSettings.of("billing",
              "orders").withHeartbeatInterval(Duration.ofMillis(200)).withClientId("cli-test"))
          .map(r -> {
            read.incrementAndGet();
            return r.committableOffset();
          })
          .toMat(log.committerSink(CommitterSettings.defaults()
              .withMaxInterval(Duration.ofMillis(50))), Keep.both())
          .run(node.system());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (lag(log) != 0 || read.get() < 20) {
        assertTrue(System.nanoTime() < deadline, "the group did not commit 20 records");
        Thread.sleep(100);
      }
      running.first().stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
      try (LogProducer producer = log.newProducer(ProducerSettings.defaults())) {
        for (int i = 0; i < 3; i++) {
          producer.send(ProducerRecord.of("orders", "late", "v").withPartition(0));
        }
      }
    }
  }

  private static long lag(Log log) {
    try {
      return log.describeGroup("billing").toCompletableFuture().get(30, TimeUnit.SECONDS)
          .partitions().stream().mapToLong(p -> p.lag()).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void listDescribeAndResetAGroup() throws Exception {
    Path dataDir = temp.resolve("data");
    consumeAndCommitTwenty(dataDir);
    String dir = dataDir.toString();

    Run list = run("groups", "list", "--data-dir", dir);
    assertEquals(0, list.exitCode(), list.err());
    assertEquals(List.of("billing"), list.out().lines().toList());

    Run describe = run("groups", "describe", "billing", "--data-dir", dir);
    assertEquals(0, describe.exitCode(), describe.err());
    List<String> lines = describe.out().lines().toList();
    assertTrue(lines.get(0).contains("State: Empty"), describe.out());
    assertEquals(List.of("TOPIC", "PARTITION", "COMMITTED-OFFSET", "LOG-END-OFFSET", "LAG",
        "MEMBER"), List.of(lines.get(1).split("\\s+")));
    assertEquals(List.of("orders", "0", "10", "13", "3", "-"), List.of(lines.get(2).split("\\s+")));
    assertEquals(List.of("orders", "1", "10", "10", "0", "-"), List.of(lines.get(3).split("\\s+")));

    // A console consumer in the group reads the 3 records past the committed offsets, commits
    // them, and leaves.
    Run consume = run("consume", "orders", "--group", "billing", "--timeout-ms", "3000",
        "--data-dir", dir);
    assertEquals(0, consume.exitCode(), consume.err());
    Run caughtUp = run("groups", "describe", "billing", "--data-dir", dir);
    assertTrue(caughtUp.out().contains("State: Empty"), caughtUp.out());
    assertTrue(caughtUp.out().lines().anyMatch(l -> List.of(l.split("\\s+"))
        .equals(List.of("orders", "0", "13", "13", "0", "-"))), caughtUp.out());

    Run reset = run("groups", "reset", "billing", "--topic", "orders", "--to-earliest",
        "--data-dir", dir);
    assertEquals(0, reset.exitCode(), reset.err());
    Run after = run("groups", "describe", "billing", "--data-dir", dir);
    assertTrue(after.out().lines().anyMatch(l -> List.of(l.split("\\s+"))
        .equals(List.of("orders", "0", "0", "13", "13", "-"))), after.out());

    Run latest = run("groups", "reset", "billing", "--topic", "orders", "--to-datetime",
        "2999-01-01T00:00:00Z", "--data-dir", dir);
    assertEquals(0, latest.exitCode(), latest.err());
    assertTrue(run("groups", "describe", "billing", "--data-dir", dir).out().lines()
        .anyMatch(l -> List.of(l.split("\\s+")).equals(List.of("orders", "0", "13", "13", "0",
            "-"))));
  }

  @Test
  void resetWaitsOutTheSessionOfAMemberThatDiedWithoutLeaving() throws Exception {
    Path dataDir = temp.resolve("crashed");
    try (WeirNode node = WeirNode.start(dataDir)) {
      node.weir().log().createTopic("events", 1, Map.of()).toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      // A member joins and is never heard of again, as if its process were killed.
      GroupCoordinator.ref(node.system(), "crashed").askWithStatus(
          (ActorRef<StatusReply<GroupCoordinator.Joined>> r) -> new GroupCoordinator.JoinGroup(
              "", "killed", List.of("events"), Map.of("events", 1),
              AssignmentStrategy.COOPERATIVE_STICKY, 2_000, r), Duration.ofSeconds(60))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    String dir = dataDir.toString();
    Run describe = run("groups", "describe", "crashed", "--data-dir", dir);
    assertTrue(describe.out().contains("Members: 1"), describe.out());
    Run reset = run("groups", "reset", "crashed", "--topic", "events", "--to-latest",
        "--data-dir", dir);
    assertEquals(0, reset.exitCode(), reset.err());
    assertTrue(reset.err().contains("waiting"), reset.err());
    assertTrue(run("groups", "describe", "crashed", "--data-dir", dir).out()
        .contains("State: Empty"));
  }

  @Test
  void badInputIsOneLine() {
    Path dataDir = temp.resolve("empty");
    Run unknown = run("groups", "describe", "nobody", "--data-dir", dataDir.toString());
    assertEquals(1, unknown.exitCode());
    assertEquals(List.of("weir: unknown consumer group 'nobody'"), unknown.err().lines().toList());
    Run noTarget = run("groups", "reset", "g", "--topic", "t", "--data-dir", dataDir.toString());
    assertEquals(2, noTarget.exitCode());
    Run badTime = run("groups", "reset", "g", "--topic", "t", "--to-datetime", "yesterday",
        "--data-dir", dataDir.toString());
    assertEquals(2, badTime.exitCode());
    assertTrue(badTime.err().startsWith("weir: --to-datetime: 'yesterday'"), badTime.err());
  }
}
