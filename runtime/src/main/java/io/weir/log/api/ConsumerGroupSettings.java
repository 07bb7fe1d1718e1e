package io.weir.log.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a member joins and stays in a consumer group. Immutable; {@code withXxx} returns a copy.
 *
 * @param groupId the group, never null or blank
 * @param topics the topics the member subscribes to, at least one
 * @param strategy how the group assigns partitions (default {@code cooperative-sticky}); every
 *     member of a group must use the same
 * @param sessionTimeout a member that sends no heartbeat for this long is removed and its
 *     partitions move (default 10 s); also how long a rebalance waits for members to rejoin
 * @param heartbeatInterval how often the member sends a heartbeat (default 1 s; less than a
 *     third of the session timeout is safe)
 * @param autoOffsetReset where to start a partition the group has no committed offset for, or
 *     whose committed offset retention has removed (default {@link OffsetReset#EARLIEST})
 * @param clientId a name for the member in {@link Log#describeGroup}, never null (default
 *     {@code weir-consumer})
 * @param isolation which transactional records the member reads (default
 *     {@link IsolationLevel#READ_UNCOMMITTED}; {@code READ_COMMITTED} for exactly-once pipelines)
 */
public record ConsumerGroupSettings(String groupId, List<String> topics,
    AssignmentStrategy strategy, Duration sessionTimeout, Duration heartbeatInterval,
    OffsetReset autoOffsetReset, String clientId, IsolationLevel isolation) {

  /** Checks the fields and copies the topic list. */
  public ConsumerGroupSettings {
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("a consumer group needs a group id");
    }
    topics = List.copyOf(topics);
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("group '" + groupId + "' subscribes to no topic");
    }
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(autoOffsetReset, "autoOffsetReset");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(isolation, "isolation");
    if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()
        || sessionTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException("heartbeat interval " + heartbeatInterval
          + " must be positive and below the session timeout " + sessionTimeout);
    }
  }

  /** Settings for {@code groupId} subscribed to {@code topics}, with the defaults above. */
  public static ConsumerGroupSettings of(String groupId, String... topics) {
    return new ConsumerGroupSettings(groupId, List.of(topics),
        AssignmentStrategy.COOPERATIVE_STICKY, Duration.ofSeconds(10), Duration.ofSeconds(1),
        OffsetReset.EARLIEST, "weir-consumer", IsolationLevel.READ_UNCOMMITTED);
  }

  /** A copy with another assignment strategy. */
  public ConsumerGroupSettings withStrategy(AssignmentStrategy s) {
    return new ConsumerGroupSettings(groupId, topics, s, sessionTimeout, heartbeatInterval,
        autoOffsetReset, clientId, isolation);
  }

  /** A copy with another session timeout. */
  public ConsumerGroupSettings withSessionTimeout(Duration d) {
    return new ConsumerGroupSettings(groupId, topics, strategy, d, heartbeatInterval,
        autoOffsetReset, clientId, isolation);
  }

  /** A copy with another heartbeat interval. */
  public ConsumerGroupSettings withHeartbeatInterval(Duration d) {
    return new ConsumerGroupSettings(groupId, topics, strategy, sessionTimeout, d,
        autoOffsetReset, clientId, isolation);
  }

  /** A copy with another reset policy. */
  public ConsumerGroupSettings withAutoOffsetReset(OffsetReset r) {
    return new ConsumerGroupSettings(groupId, topics, strategy, sessionTimeout,
        heartbeatInterval, r, clientId, isolation);
  }

  /** A copy with another client id. */
  public ConsumerGroupSettings withClientId(String id) {
    return new ConsumerGroupSettings(groupId, topics, strategy, sessionTimeout,
        heartbeatInterval, autoOffsetReset, id, isolation);
  }

  /** A copy reading at another isolation level. */
  public ConsumerGroupSettings withIsolation(IsolationLevel level) {
    return new ConsumerGroupSettings(groupId, topics, strategy, sessionTimeout, heartbeatInterval,
        autoOffsetReset, clientId, level);
  }
}
