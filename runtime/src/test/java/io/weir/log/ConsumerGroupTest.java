package io.weir.log;

import static io.weir.log.LogTestKit.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.weir.log.api.AssignmentStrategy;
import io.weir.log.api.CommitterSettings;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.Control;
import io.weir.log.api.GroupDescription;
import io.weir.log.api.GroupNotEmptyException;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.log.api.TopicPartition;
import io.weir.log.api.UnknownGroupException;
import io.weir.log.internal.GroupCoordinator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.stream.javadsl.Keep;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Consumer groups end to end: committable sources, rebalances, commits, lag and resets. */
class ConsumerGroupTest {
  private static LogTestKit kit;

  @BeforeAll
  static void start() {
    kit = new LogTestKit(Clock.systemUTC(), "");
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /**
   * A running group member: its control, the set of partition:offset it has read, and the
   * completion of its committer.
   */
  private record Member(Control control, Set<String> seen, CompletionStage<Done> committed) {}

  private static ConsumerGroupSettings settings(String group, String topic, String client) {
    return ConsumerGroupSettings.of(group, topic).withClientId(client)
        .withHeartbeatInterval(Duration.ofMillis(200)).withSessionTimeout(Duration.ofSeconds(4));
  }

  private static Member startMember(ConsumerGroupSettings settings, Set<String> seenByAll) {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Pair<Control, CompletionStage<Done>> running = kit.log.committableSource(settings)
        .map(r -> {
          String at = r.record().partition() + ":" + r.record().offset();
          seen.add(at);
          seenByAll.add(at);
          return r.committableOffset();
        })
        .toMat(kit.log.committerSink(CommitterSettings.defaults()
            .withMaxInterval(Duration.ofMillis(100))), Keep.both())
        .run(kit.testKit.system());
    return new Member(running.first(), seen, running.second());
  }

  private static void produce(String topic, int from, int count) throws Exception {
    try (LogProducer producer = kit.log.newProducer(ProducerSettings.defaults())) {
      for (int i = from; i < from + count; i++) {
        producer.send(ProducerRecord.of(topic, "key-" + i, "value-" + i));
      }
    }
  }

  private static void eventually(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      Thread.sleep(100);
    }
  }

  private static GroupDescription describe(String group) {
    try {
      return await(kit.log.describeGroup(group));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static boolean stableWith(String group, int members, int partitions) {
    GroupDescription d;
    try {
      d = await(kit.log.describeGroup(group));
    } catch (Exception e) {
      return false; // Not joined yet.
    }
    return d.state().equals("Stable") && d.members().size() == members
        && d.members().stream().mapToInt(m -> m.assignment().size()).sum() == partitions;
  }

  private static long totalLag(String group) {
    return describe(group).partitions().stream().mapToLong(GroupDescription.PartitionLag::lag)
        .sum();
  }

  @ParameterizedTest
  @EnumSource(AssignmentStrategy.class)
  void threeMembersRebalanceAsMembersLeaveAndJoinAndConsumeEveryRecord(
      AssignmentStrategy strategy) throws Exception {
    String topic = "six-" + strategy.id();
    String group = "six-readers-" + strategy.id();
    await(kit.log.createTopic(topic, 6, Map.of()));
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Member a = startMember(settings(group, topic, "a").withStrategy(strategy), seen);
    Member b = startMember(settings(group, topic, "b").withStrategy(strategy), seen);
    Member c = startMember(settings(group, topic, "c").withStrategy(strategy), seen);
    eventually("three members share six partitions", () -> stableWith(group, 3, 6));
    describe(group).members().forEach(m -> assertEquals(2, m.assignment().size(), "" + m));
    // Records keep arriving while members leave and join, so handovers happen mid-stream.
    CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < 4500; i += 50) {
          produce(topic, i, 50);
          Thread.sleep(20);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    eventually("some records are read", () -> seen.size() > 500);
    await(b.control().stop());
    eventually("two members share six partitions", () -> stableWith(group, 2, 6));
    Member d = startMember(settings(group, topic, "d").withStrategy(strategy), seen);
    eventually("three members again", () -> stableWith(group, 3, 6));
    await(producing);

    eventually("every record is read", () -> seen.size() == 4500);
    eventually("every offset is committed", () -> totalLag(group) == 0);
    assertTrue(!d.seen().isEmpty(), "the member that joined last got partitions");
    assertCommitsAreMonotonic(group);
    for (Member m : List.of(a, b, c, d)) {
      await(m.control().stop());
      await(m.committed()); // The stream, committer included, ends once the member has left.
    }
    eventually("the group is empty", () -> describe(group).state().equals("Empty"));
  }

  private static void assertCommitsAreMonotonic(String group) {
    List<Object> events = PersistenceTestKit.create(kit.testKit.system())
        .persistedInStorage("weir-consumer-group|" + group);
    Map<TopicPartition, Long> last = new ConcurrentHashMap<>();
    int commits = 0;
    for (Object e : events) {
      if (e instanceof GroupCoordinator.OffsetsCommitted c) {
        commits++;
        for (GroupCoordinator.OffsetCommit o : c.offsets()) {
          Long before = last.put(o.topicPartition(), o.offset());
          assertTrue(before == null || before <= o.offset(),
              o.topicPartition() + " went back from " + before + " to " + o.offset());
        }
      }
    }
    assertTrue(commits > 0 && commits < 4500, "commits are batched: " + commits + " events");
    assertTrue(events.stream().anyMatch(e -> e instanceof GroupCoordinator.GenerationStarted g
            && g.members().stream().anyMatch(m -> !m.revoking().isEmpty())),
        "a partition moved between live members through a revocation");
  }

  @Test
  void describeShowsLagAndResetIsRefusedWhileMembersExist() throws Exception {
    String topic = "lagging";
    String group = "lag-readers";
    await(kit.log.createTopic(topic, 2, Map.of()));
    produce(topic, 0, 100);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Member member = startMember(settings(group, topic, "only"), seen);
    eventually("100 records read", () -> seen.size() == 100);
    eventually("all committed", () -> totalLag(group) == 0);

    ExecutionException refused = assertFailsWith(
        kit.log.resetGroupOffsets(group, topic, StartPosition.earliest()));
    assertInstanceOf(GroupNotEmptyException.class, refused.getCause());
    assertTrue(refused.getCause().getMessage().contains(group), refused.getCause().getMessage());

    await(member.control().stop());
    eventually("the group is empty", () -> describe(group).state().equals("Empty"));
    produce(topic, 100, 30);
    GroupDescription d = describe(group);
    long ends = d.partitions().stream().mapToLong(GroupDescription.PartitionLag::logEndOffset)
        .sum();
    long committed = d.partitions().stream()
        .mapToLong(GroupDescription.PartitionLag::committedOffset).sum();
    assertEquals(130, ends);
    assertEquals(100, committed);
    assertEquals(30, totalLag(group), "lag = produced - committed");
    d.partitions().forEach(p -> assertEquals(p.logEndOffset() - p.committedOffset(), p.lag()));

    await(kit.log.resetGroupOffsets(group, topic, StartPosition.earliest()));
    assertEquals(130, totalLag(group));
    await(kit.log.resetGroupOffsets(group, topic, StartPosition.latest()));
    assertEquals(0, totalLag(group));
    await(kit.log.resetGroupOffsets(group, topic, StartPosition.timestamp(0)));
    assertEquals(130, totalLag(group));
    assertTrue(await(kit.log.listGroups()).contains(group));
  }

  @Test
  void describingAGroupNeverUsedFails() {
    ExecutionException e = assertFailsWith(kit.log.describeGroup("no-such-group"));
    assertInstanceOf(UnknownGroupException.class, e.getCause());
  }

  private static ExecutionException assertFailsWith(java.util.concurrent.CompletionStage<?> s) {
    try {
      s.toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  /** Joins a raw member that never heartbeats. */
  static GroupCoordinator.Joined joinRaw(String group, String topic, int partitions,
      long sessionMs) throws Exception {
    return await(GroupCoordinator.ref(kit.testKit.system(), group).askWithStatus(
        (ActorRef<StatusReply<GroupCoordinator.Joined>> r) -> new GroupCoordinator.JoinGroup("",
            "raw", List.of(topic), Map.of(topic, partitions),
            io.weir.log.api.AssignmentStrategy.COOPERATIVE_STICKY, sessionMs, r),
        Duration.ofSeconds(60)));
  }

  @Test
  void aMemberThatStopsHeartbeatingIsRemovedAndItsPartitionsMove() throws Exception {
    String topic = "silent";
    String group = "silent-readers";
    await(kit.log.createTopic(topic, 4, Map.of()));
    GroupCoordinator.Joined silent = joinRaw(group, topic, 4, 1500);
    GroupDescription before = describe(group);
    assertEquals(4, before.members().get(0).assignment().size());
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Member alive = startMember(settings(group, topic, "alive"), seen);
    eventually("the silent member is gone and the live one owns all four",
        () -> stableWith(group, 1, 4));
    GroupDescription after = describe(group);
    assertTrue(after.members().stream().noneMatch(m -> m.memberId().equals(silent.memberId())));
    assertTrue(after.generation() > before.generation());
    produce(topic, 0, 40);
    eventually("all 40 read by the live member", () -> seen.size() == 40);
    await(alive.control().stop());
  }

  @Test
  void aCommitWithAStaleGenerationOrUnknownMemberIsRefused() throws Exception {
    String topic = "fenced";
    String group = "fenced-group";
    await(kit.log.createTopic(topic, 2, Map.of()));
    var coordinator = GroupCoordinator.ref(kit.testKit.system(), group);
    GroupCoordinator.Joined first = joinRaw(group, topic, 2, 30_000);
    TopicPartition p0 = new TopicPartition(topic, 0);
    assertEquals(Done.getInstance(), commit(first.memberId(), first.generation(), p0, 5));
    // A second member joins; the first rejoins, and generation 2 replaces generation 1.
    var second = coordinator.askWithStatus((ActorRef<StatusReply<GroupCoordinator.Joined>> r) ->
        new GroupCoordinator.JoinGroup("", "raw", List.of(topic), Map.of(topic, 2),
            io.weir.log.api.AssignmentStrategy.COOPERATIVE_STICKY, 30_000, r),
        Duration.ofSeconds(60));
    var again = coordinator.askWithStatus((ActorRef<StatusReply<GroupCoordinator.Joined>> r) ->
        new GroupCoordinator.JoinGroup(first.memberId(), "raw", List.of(topic),
            Map.of(topic, 2), io.weir.log.api.AssignmentStrategy.COOPERATIVE_STICKY, 30_000, r),
        Duration.ofSeconds(60));
    int generation = await(again).generation();
    assertEquals(first.generation() + 1, generation);
    await(second);

    ExecutionException stale = assertFailsWith(commitStage(first.memberId(),
        first.generation(), p0, 6));
    assertInstanceOf(io.weir.log.api.IllegalGenerationException.class, stale.getCause());
    ExecutionException unknown = assertFailsWith(commitStage("nobody", generation, p0, 6));
    assertInstanceOf(io.weir.log.api.UnknownMemberException.class, unknown.getCause());
    GroupDescription d = describe(group);
    assertEquals(5, d.partitions().stream().filter(p -> p.topicPartition().equals(p0))
        .findFirst().orElseThrow().committedOffset(), "refused commits changed nothing");
  }

  private static java.util.concurrent.CompletionStage<Done> commitStage(String member,
      int generation, TopicPartition tp, long offset) {
    return GroupCoordinator.ref(kit.testKit.system(), "fenced-group").askWithStatus(
        (ActorRef<StatusReply<Done>> r) -> new GroupCoordinator.CommitOffsets(member, generation,
            List.of(new GroupCoordinator.OffsetCommit(tp, offset, "m")), r),
        Duration.ofSeconds(30));
  }

  private static Done commit(String member, int generation, TopicPartition tp, long offset)
      throws Exception {
    return await(commitStage(member, generation, tp, offset));
  }
}
