package io.weir.stream.internal.job;

import io.weir.stream.api.CheckpointStats;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.internal.JobGraph;
import io.weir.stream.internal.JobVertex;
import io.weir.stream.internal.exec.SubtaskSnapshot;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * The checkpoint coordinator of one job, inside its {@link JobMaster}: starts checkpoint n at
 * the sources (at a connector source, through its enumerator host, which snapshots the
 * enumerator first), collects every subtask's snapshot and every enumerator's state, and builds
 * the completed checkpoint the master persists. One checkpoint at a time; an abandoned one
 * (timed out, declined) is forgotten and its id is used again by the next. Not thread-safe: the
 * master's thread only.
 */
final class CheckpointCoordinator {
  /** A checkpoint in progress, with the acknowledgements so far. */
  private record Pending(long id, long startedAt, Map<String, SubtaskSnapshot> acks,
      Map<String, Long> bytes, Map<String, Object> enumeratorStates,
      JobMaster.TriggerSavepoint savepoint) {}

  private final String jobId;
  private final Clock clock;
  private final ClusterSharding sharding;
  private Pending pending;
  private long lastEnd;

  CheckpointCoordinator(String jobId, Clock clock, ActorSystem<?> system) {
    this.jobId = jobId;
    this.clock = clock;
    this.sharding = ClusterSharding.get(system);
  }

  /** Whether a checkpoint is in progress. */
  boolean inProgress() {
    return pending != null;
  }

  /** The id of the checkpoint in progress; -1 when none is. */
  long pendingId() {
    return pending == null ? -1 : pending.id();
  }

  /** Whether the minimum pause since the last checkpoint ended has passed. */
  boolean pauseOver(CheckpointConfig config) {
    return clock.millis() - lastEnd >= config.minPause().toMillis();
  }

  /** Checkpoints start now: the pause counts from here. */
  void reset() {
    pending = null;
    lastEnd = clock.millis();
  }

  /**
   * Starts checkpoint {@code id} of attempt {@code attempt}: triggers it at every source
   * subtask, or at the enumerator host of a connector source.
   *
   * @param savepoint the request when the checkpoint is a savepoint; null otherwise
   */
  void start(long id, int attempt, JobGraph graph,
      Map<String, ActorRef<EnumeratorHost.Command>> enumerators,
      JobMaster.TriggerSavepoint savepoint) {
    pending = new Pending(id, clock.millis(), new HashMap<>(), new HashMap<>(), new HashMap<>(),
        savepoint);
    for (JobVertex v : graph.vertices()) {
      if (enumerators.containsKey(v.id())) {
        // The host snapshots the enumerator, then triggers its readers itself.
        enumerators.get(v.id()).tell(new EnumeratorHost.TriggerCheckpoint(id));
      } else if (graph.inputsOf(v.id()).isEmpty()) {
        for (int i = 0; i < v.parallelism(); i++) {
          sharding.entityRefFor(SubtaskEntity.KEY, SubtaskEntity.entityId(jobId, v.id(), i))
              .tell(new SubtaskEntity.TriggerCheckpoint(attempt, id));
        }
      }
    }
  }

  /**
   * Records a subtask's snapshot and its serialized size (measured by the subtask, off its
   * record path); false when it is not for the checkpoint in progress.
   */
  boolean acknowledge(SubtaskSnapshot snapshot, long bytes) {
    if (pending == null || snapshot.checkpointId() != pending.id()) {
      return false;
    }
    String id = SubtaskEntity.entityId(jobId, snapshot.vertex(), snapshot.subtask());
    pending.acks().put(id, snapshot);
    pending.bytes().put(id, bytes);
    return true;
  }

  /** Records an enumerator's state; false when it is not for the checkpoint in progress. */
  boolean enumeratorState(long checkpointId, String vertex, Object state) {
    if (pending == null || checkpointId != pending.id()) {
      return false;
    }
    pending.enumeratorStates().put(vertex, state);
    return true;
  }

  /** Whether every subtask and every enumerator took its part. */
  boolean allIn(int subtasks, int enumerators) {
    return pending != null && pending.acks().size() >= subtasks
        && pending.enumeratorStates().size() >= enumerators;
  }

  /** The completed checkpoint to persist, with its statistics (size as serialized). */
  JobMaster.CheckpointCompleted completed() {
    List<SubtaskSnapshot> snapshots = List.copyOf(pending.acks().values());
    long bytes = pending.bytes().values().stream().mapToLong(Long::longValue).sum();
    long alignment = 0;
    for (SubtaskSnapshot s : snapshots) {
      alignment = Math.max(alignment, s.alignmentMillis());
    }
    CheckpointStats stats = new CheckpointStats(pending.id(), pending.startedAt(),
        clock.millis() - pending.startedAt(), bytes, alignment);
    List<JobMaster.EnumeratorState> enumerators = pending.enumeratorStates().entrySet().stream()
        .map(e -> new JobMaster.EnumeratorState(e.getKey(), e.getValue())).toList();
    return new JobMaster.CheckpointCompleted(stats, snapshots, enumerators);
  }

  /**
   * The checkpoint in progress is persisted: it ends here.
   *
   * @return the savepoint request it answers; null for a plain checkpoint
   */
  JobMaster.TriggerSavepoint finish() {
    JobMaster.TriggerSavepoint savepoint = pending == null ? null : pending.savepoint();
    reset();
    return savepoint;
  }

  /** The checkpoint in progress is given up; a savepoint waiting for it is told why. */
  void abandon(String reason) {
    if (pending != null && pending.savepoint() != null) {
      pending.savepoint().replyTo().tell(StatusReply.error("the savepoint's checkpoint "
          + pending.id() + " did not complete: " + reason));
    }
    reset();
  }
}
