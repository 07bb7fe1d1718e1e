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
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * The checkpoint coordinator of one job, inside its {@link JobMaster}: starts checkpoints at the
 * sources (at a connector source, through its enumerator host, which snapshots the enumerator
 * first), collects every subtask's snapshot and every enumerator's state, and builds the
 * completed checkpoint the master persists. Up to {@code maxConcurrent} checkpoints are in
 * progress at once; completing one subsumes the older ones still in progress. An abandoned
 * checkpoint (timed out, declined) is forgotten. Not thread-safe: the master's thread only.
 */
final class CheckpointCoordinator {
  /** A checkpoint in progress, with the acknowledgements so far. */
  private record Pending(long id, long startedAt, Map<String, SubtaskSnapshot> acks,
      Map<String, Long> bytes, Map<String, Object> enumeratorStates,
      JobMaster.TriggerSavepoint savepoint) {}

  private final String jobId;
  private final Clock clock;
  private final ClusterSharding sharding;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private long lastEnd;

  CheckpointCoordinator(String jobId, Clock clock, ActorSystem<?> system) {
    this.jobId = jobId;
    this.clock = clock;
    this.sharding = ClusterSharding.get(system);
  }

  /** How many checkpoints are in progress. */
  int inProgress() {
    return pending.size();
  }

  /** Whether checkpoint {@code id} is in progress. */
  boolean isPending(long id) {
    return pending.containsKey(id);
  }

  /** Whether another checkpoint may start: below the concurrency, after the minimum pause. */
  boolean mayStart(CheckpointConfig config) {
    int max = config == null ? 1 : config.maxConcurrent();
    long pause = config == null ? 0 : config.minPause().toMillis();
    return pending.size() < max && clock.millis() - lastEnd >= pause;
  }

  /** The id of the next checkpoint: above the latest completed and every one in progress. */
  long nextId(long latestCompleted) {
    return Math.max(latestCompleted, pending.isEmpty() ? 0 : pending.lastKey()) + 1;
  }

  /** No checkpoint in progress; the pause counts from now. */
  void reset() {
    pending.clear();
    lastEnd = clock.millis();
  }

  /**
   * Starts checkpoint {@code id} of attempt {@code attempt}: triggers it at every source
   * subtask still running, or at the enumerator host of a connector source, and at every
   * subtask waiting for its final checkpoint (no barrier reaches those). A finished subtask's
   * final snapshot is its part at once.
   *
   * @param savepoint the request when the checkpoint is a savepoint; null otherwise
   * @param finished the final snapshots of the subtasks that finished, by entity id
   * @param awaitingFinal the subtasks past their end of input that wait for this, by entity id
   */
  void start(long id, int attempt, JobGraph graph,
      Map<String, ActorRef<EnumeratorHost.Command>> enumerators,
      JobMaster.TriggerSavepoint savepoint, Map<String, SubtaskSnapshot> finished,
      java.util.Set<String> awaitingFinal) {
    Pending p = new Pending(id, clock.millis(), new HashMap<>(), new HashMap<>(),
        new HashMap<>(), savepoint);
    pending.put(id, p);
    finished.forEach((subtask, last) -> {
      p.acks().put(subtask, last.withCheckpointId(id));
      p.bytes().put(subtask, 0L);
    });
    java.util.Set<String> triggered = new java.util.HashSet<>();
    for (JobVertex v : graph.vertices()) {
      if (enumerators.containsKey(v.id())) {
        // The host snapshots the enumerator, then triggers its running readers itself.
        List<Integer> running = new java.util.ArrayList<>();
        for (int i = 0; i < v.parallelism(); i++) {
          String subtask = SubtaskEntity.entityId(jobId, v.id(), i);
          if (!finished.containsKey(subtask)) {
            running.add(i);
            triggered.add(subtask);
          }
        }
        enumerators.get(v.id()).tell(new EnumeratorHost.TriggerCheckpoint(id, running));
      } else if (graph.inputsOf(v.id()).isEmpty()) {
        for (int i = 0; i < v.parallelism(); i++) {
          String subtask = SubtaskEntity.entityId(jobId, v.id(), i);
          if (!finished.containsKey(subtask)) {
            trigger(subtask, attempt, id);
            triggered.add(subtask);
          }
        }
      }
    }
    for (String subtask : awaitingFinal) {
      if (!triggered.contains(subtask) && !finished.containsKey(subtask)) {
        trigger(subtask, attempt, id);
      }
    }
  }

  /**
   * A subtask reached the end of its input and waits for a final checkpoint: it is triggered
   * for every checkpoint in progress it has no part in yet (it had none: all its inputs ended
   * before those began, so no barrier will reach it).
   */
  void awaitingFinal(String subtask, int attempt) {
    for (Pending p : pending.values()) {
      if (!p.acks().containsKey(subtask)) {
        trigger(subtask, attempt, p.id());
      }
    }
  }

  private void trigger(String subtask, int attempt, long id) {
    sharding.entityRefFor(SubtaskEntity.KEY, subtask)
        .tell(new SubtaskEntity.TriggerCheckpoint(attempt, id));
  }

  /**
   * A subtask finished without taking its part of the checkpoints in progress (its inputs had
   * all ended before they began, so no barrier reached it): its final snapshot is its part.
   *
   * @return the newest checkpoint in progress that every subtask and enumerator now took its
   *     part of; null when none
   */
  Long acknowledgeFinished(String subtask, SubtaskSnapshot last, int subtasks, int enumerators) {
    Long complete = null;
    for (Pending p : pending.values()) {
      if (!p.acks().containsKey(subtask)) {
        p.acks().put(subtask, last.withCheckpointId(p.id()));
        p.bytes().put(subtask, 0L);
      }
      if (allIn(p.id(), subtasks, enumerators)) {
        complete = p.id();
      }
    }
    return complete;
  }

  /**
   * Records a subtask's snapshot and its serialized size (measured by the subtask, off its
   * record path); false when its checkpoint is not in progress.
   */
  boolean acknowledge(SubtaskSnapshot snapshot, long bytes) {
    Pending p = pending.get(snapshot.checkpointId());
    if (p == null) {
      return false;
    }
    String id = SubtaskEntity.entityId(jobId, snapshot.vertex(), snapshot.subtask());
    p.acks().put(id, snapshot);
    p.bytes().put(id, bytes);
    return true;
  }

  /** Records an enumerator's state; false when its checkpoint is not in progress. */
  boolean enumeratorState(long checkpointId, String vertex, Object state) {
    Pending p = pending.get(checkpointId);
    if (p == null) {
      return false;
    }
    p.enumeratorStates().put(vertex, state);
    return true;
  }

  /** Whether every subtask and every enumerator took its part of checkpoint {@code id}. */
  boolean allIn(long id, int subtasks, int enumerators) {
    Pending p = pending.get(id);
    return p != null && p.acks().size() >= subtasks
        && p.enumeratorStates().size() >= enumerators;
  }

  /** Checkpoint {@code id}, complete, to persist, with its statistics. */
  JobMaster.CheckpointCompleted completed(long id, int retain) {
    Pending p = pending.get(id);
    List<SubtaskSnapshot> snapshots = List.copyOf(p.acks().values());
    long bytes = p.bytes().values().stream().mapToLong(Long::longValue).sum();
    long alignment = 0;
    for (SubtaskSnapshot s : snapshots) {
      alignment = Math.max(alignment, s.alignmentMillis());
    }
    CheckpointStats stats = new CheckpointStats(p.id(), p.startedAt(),
        clock.millis() - p.startedAt(), bytes, alignment);
    List<JobMaster.EnumeratorState> enumerators = p.enumeratorStates().entrySet().stream()
        .map(e -> new JobMaster.EnumeratorState(e.getKey(), e.getValue())).toList();
    return new JobMaster.CheckpointCompleted(stats, snapshots, enumerators, retain);
  }

  /**
   * Checkpoint {@code id} is persisted: it ends, and so do older ones still in progress (it
   * subsumes them).
   *
   * @return the savepoint request it answers; null for a plain checkpoint
   */
  JobMaster.TriggerSavepoint finish(long id) {
    Pending p = pending.remove(id);
    while (!pending.isEmpty() && pending.firstKey() < id) {
      abandon(pending.firstKey(), "checkpoint " + id + " completed first");
    }
    lastEnd = clock.millis();
    return p == null ? null : p.savepoint();
  }

  /** Checkpoint {@code id} is given up; a savepoint waiting for it is told why. */
  void abandon(long id, String reason) {
    Pending p = pending.remove(id);
    if (p != null && p.savepoint() != null) {
      p.savepoint().replyTo().tell(StatusReply.error("the savepoint's checkpoint " + id
          + " did not complete: " + reason));
    }
    lastEnd = clock.millis();
  }
}
