package io.weir.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.weir.log.api.AssignmentStrategy;
import io.weir.log.api.PartitionNotAssignedException;
import io.weir.log.api.TopicPartition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The coordinator entity alone: its protocol replies, and its state surviving a restart. */
class GroupCoordinatorTest {
  private static final ActorTestKit testKit = ActorTestKit.create("GroupCoordinatorTest",
      PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static <T> T expectSuccess(TestProbe<StatusReply<T>> probe) {
    StatusReply<T> reply = probe.expectMessageClass(StatusReply.class, Duration.ofSeconds(30));
    assertTrue(reply.isSuccess(), () -> "refused: " + reply.getError());
    return reply.getValue();
  }

  @Test
  void committedOffsetsAndMembershipComeBackAfterTheEntityRestarts() {
    String group = "restarting";
    ActorRef<GroupCoordinator.Command> coordinator =
        testKit.spawn(GroupCoordinator.create(group, Clock.systemUTC()));
    TestProbe<StatusReply<GroupCoordinator.Joined>> joined = testKit.createTestProbe();
    coordinator.tell(new GroupCoordinator.JoinGroup("", "c", List.of("t"), Map.of("t", 3),
        AssignmentStrategy.RANGE, 60_000, joined.getRef()));
    GroupCoordinator.Joined member = expectSuccess(joined);
    TestProbe<StatusReply<GroupCoordinator.Assignment>> assignment = testKit.createTestProbe();
    coordinator.tell(new GroupCoordinator.SyncGroup(member.memberId(), member.generation(),
        assignment.getRef()));
    assertEquals(3, expectSuccess(assignment).partitions().size());

    TestProbe<StatusReply<Done>> done = testKit.createTestProbe();
    coordinator.tell(new GroupCoordinator.CommitOffsets(member.memberId(), member.generation(),
        List.of(new GroupCoordinator.OffsetCommit(new TopicPartition("t", 0), 10, "first"),
            new GroupCoordinator.OffsetCommit(new TopicPartition("t", 2), 7, "")),
        done.getRef()));
    expectSuccess(done);
    coordinator.tell(new GroupCoordinator.CommitOffsets(member.memberId(), member.generation(),
        List.of(new GroupCoordinator.OffsetCommit(new TopicPartition("other", 0), 1, "")),
        done.getRef()));
    StatusReply<Done> refused = done.expectMessageClass(StatusReply.class);
    assertInstanceOf(PartitionNotAssignedException.class, refused.getError());

    testKit.stop(coordinator);
    ActorRef<GroupCoordinator.Command> restarted =
        testKit.spawn(GroupCoordinator.create(group, Clock.systemUTC()));
    TestProbe<StatusReply<GroupCoordinator.Snapshot>> described = testKit.createTestProbe();
    restarted.tell(new GroupCoordinator.Describe(described.getRef()));
    GroupCoordinator.Snapshot snapshot = expectSuccess(described);
    assertEquals(member.generation(), snapshot.generation());
    assertEquals(List.of(member.memberId()),
        snapshot.members().stream().map(GroupState.Member::memberId).toList());
    Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
    snapshot.offsets().forEach(c -> offsets.put(c.topicPartition(), c.offset()));
    assertEquals(Map.of(new TopicPartition("t", 0), 10L, new TopicPartition("t", 2), 7L), offsets);
    assertEquals("first", snapshot.offsets().stream()
        .filter(c -> c.topicPartition().partition() == 0).findFirst().orElseThrow().metadata());

    // The recovered member is still a member of its generation and may commit.
    restarted.tell(new GroupCoordinator.CommitOffsets(member.memberId(), member.generation(),
        List.of(new GroupCoordinator.OffsetCommit(new TopicPartition("t", 0), 11, "")),
        done.getRef()));
    expectSuccess(done);
  }
}
