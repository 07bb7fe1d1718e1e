package io.weir.stream.internal.job;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.weir.api.CborSerializable;
import io.weir.stream.api.CheckpointStats;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.UnknownJobException;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import io.weir.stream.internal.JobGraph;
import io.weir.stream.internal.JobPlanner;
import io.weir.stream.internal.JobVertex;
import io.weir.stream.internal.PlannedJob;
import io.weir.stream.internal.exec.Sources;
import io.weir.stream.internal.exec.SubtaskRestore;
import io.weir.stream.internal.exec.SubtaskSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The master of one job: the sharded persistent entity {@code weir-job/<jobId>}. It persists the
 * job's definition class name and arguments and every change of state, deploys the subtasks of
 * each attempt, starts them once all are ready, and decides the job's end from their reports.
 *
 * <p>An attempt: the master plans the job (deterministically, from the class name and
 * arguments), sends {@link SubtaskEntity.Deploy} to every subtask, then {@link SubtaskEntity.Run}
 * when all answered {@link SubtaskReady}. Every subtask reports its end with
 * {@link SubtaskEnded}: all finished means FINISHED; the first failure makes the job FAILING,
 * the others are canceled, and once all ended the job is FAILED with that first failure. After a
 * node restart, {@link Resume} starts a new attempt of a job that was CREATED or RUNNING.
 */
public final class JobMaster
    extends EventSourcedBehavior<JobMaster.Command, JobMaster.Event, JobMaster.State> {
  /** The sharded entity type. */
  /** How many completed checkpoints the status lists. */
  private static final int HISTORY = 10;
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "weir-job");

  /** The master's commands. */
  public interface Command {}

  /** Submit the job; replies with its status. */
  public record Submit(String definition, List<String> args, long submittedAt,
      String fromSavepoint, Integer parallelism, ActorRef<StatusReply<JobStatus>> replyTo)
      implements Command, CborSerializable {}

  /**
   * Take a savepoint; replies with its id. With {@code stop}, cancel the job after it. With
   * {@code checkpointId}, keep that retained checkpoint as the savepoint instead of taking a new
   * one (the job may be in any state then).
   */
  public record TriggerSavepoint(boolean stop, Long checkpointId,
      ActorRef<StatusReply<String>> replyTo) implements Command, CborSerializable {}

  private record SavepointLoaded(SavepointStore.Saved saved, String error)
      implements Command, NoSerializationVerificationNeeded {}

  /** Reply with the job's status, or an error when no job has this id. */
  public record GetStatus(ActorRef<StatusReply<JobStatus>> replyTo)
      implements Command, CborSerializable {}

  /** Cancel the job; replies with its status. */
  public record Cancel(long at, ActorRef<StatusReply<JobStatus>> replyTo)
      implements Command, CborSerializable {}

  /** The node started: run the job again if it was running. */
  public record Resume() implements Command, CborSerializable {}

  /** A subtask of an attempt is deployed and its input is open. */
  public record SubtaskReady(int attempt, String vertex, int subtask,
      ActorRef<SubtaskEntity.Command> ref) implements Command, CborSerializable {}

  private record SubtaskStopped(int attempt, String vertex, int subtask)
      implements Command, NoSerializationVerificationNeeded {}

  /**
   * A subtask of an attempt ended.
   *
   * @param operator the operator whose user code failed; null when none did
   * @param failure the failure as text; null when the subtask finished
   * @param finalSnapshot when it finished: what stands for it in later checkpoints
   */
  public record SubtaskEnded(int attempt, String vertex, int subtask, String operator,
      String failure, SubtaskSnapshot finalSnapshot) implements Command, CborSerializable {}

  /**
   * A subtask's input ended and a two-phase-commit sink of it waits for the final checkpoint:
   * one triggered at it directly from now on.
   */
  public record SubtaskAwaitingFinalCheckpoint(int attempt, String vertex, int subtask)
      implements Command, CborSerializable {}

  /** A connector source's split enumerator failed. */
  public record SourceFailed(int attempt, String operator, String failure)
      implements Command, CborSerializable {}

  /** A subtask took its part of a checkpoint. */
  public record CheckpointAck(int attempt, SubtaskSnapshot snapshot, long bytes)
      implements Command, CborSerializable {}

  /** A connector source's enumerator took its part of a checkpoint. */
  public record EnumeratorSnapshot(int attempt, String vertex, long checkpointId,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object state)
      implements Command, CborSerializable {}

  /** A subtask could not take its part of a checkpoint. */
  public record CheckpointDeclined(int attempt, long checkpointId, String reason)
      implements Command, CborSerializable {}

  private record CheckpointTick(int attempt)
      implements Command, NoSerializationVerificationNeeded {}

  private record CheckpointTimedOut(long checkpointId)
      implements Command, NoSerializationVerificationNeeded {}

  private record RestartNow(int attempt) implements Command, NoSerializationVerificationNeeded {}

  private record DeployTimedOut(int attempt)
      implements Command, NoSerializationVerificationNeeded {}

  /** The master's journal. */
  public sealed interface Event extends CborSerializable {}

  /** The job was submitted. */
  public record Submitted(String definition, List<String> args, long at, String fromSavepoint,
      Integer parallelism) implements Event {}

  /** A new attempt is being deployed. */
  public record AttemptStarted(int attempt) implements Event {}

  /** Every subtask of the attempt is deployed and was told to run. */
  public record Running(int attempt) implements Event {}

  /** A subtask failed; the others are being stopped. */
  public record Failing(String operator, String failure) implements Event {}

  /** Every subtask stopped after a failure; the job restarts after {@code delayMillis}. */
  public record Restarting(long delayMillis) implements Event {}

  /** Cancel was asked. */
  public record Canceling() implements Event {}

  /** The job ended in a terminal state. */
  public record Ended(JobState state, long at) implements Event {}

  /**
   * A checkpoint completed: every subtask's snapshot, and its statistics.
   *
   * @param stats id, timing, size and alignment
   * @param snapshots one per subtask
   * @param enumerators the state of each connector source's split enumerator
   * @param retain how many checkpoints the job keeps restorable, this one included (0 in
   *     events written before it was recorded: 1)
   */
  public record CheckpointCompleted(CheckpointStats stats, List<SubtaskSnapshot> snapshots,
      List<EnumeratorState> enumerators, int retain) implements Event {
    /** A checkpoint of a job that keeps only its latest. */
    public CheckpointCompleted(CheckpointStats stats, List<SubtaskSnapshot> snapshots,
        List<EnumeratorState> enumerators) {
      this(stats, snapshots, enumerators, 1);
    }

    /** The enumerator state of a vertex; null when it has none. */
    Object enumeratorOf(String vertex) {
      return enumerators.stream().filter(e -> e.vertex().equals(vertex)).findFirst()
          .map(EnumeratorState::state).orElse(null);
    }
  }

  /**
   * A split enumerator's state in a checkpoint.
   *
   * @param vertex the connector source's vertex
   * @param state what its {@code snapshotState} returned
   */
  public record EnumeratorState(String vertex,
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object state) {}

  /**
   * The job's status (null before it is submitted), the latest completed checkpoint (null
   * before the first) and the older ones retained.
   *
   * @param older the retained checkpoints before the latest, oldest first (null: none)
   */
  public record State(JobStatus status, CheckpointCompleted latest, Integer parallelism,
      String fromSavepoint, List<CheckpointCompleted> older) implements CborSerializable {
    /** This state with another status. */
    State with(JobStatus next) {
      return new State(next, latest, parallelism, fromSavepoint, older);
    }

    /** The retained checkpoint {@code id}; null when it is not retained. */
    CheckpointCompleted retained(long id) {
      if (latest != null && latest.stats().id() == id) {
        return latest;
      }
      return older == null ? null
          : older.stream().filter(c -> c.stats().id() == id).findFirst().orElse(null);
    }

    /** The ids of the retained checkpoints, oldest first. */
    List<Long> retainedIds() {
      List<Long> ids = new ArrayList<>();
      if (older != null) {
        older.forEach(c -> ids.add(c.stats().id()));
      }
      if (latest != null) {
        ids.add(latest.stats().id());
      }
      return ids;
    }
  }

  /**
   * Starts sharding of job masters; they never passivate, so running jobs keep their master.
   * Masters are remembered entities: when the node hosting one leaves or dies, sharding starts it
   * again on another node at once, and the recovered master resumes its job there.
   */
  public static void init(ActorSystem<?> system, StreamSettings settings, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> Behaviors.<Command>setup(c ->
            Behaviors.withTimers(t -> new JobMaster(c, t, ctx.getEntityId(), settings, clock))))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()
            .withRememberEntities(true)));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String jobId;
  private final StreamSettings settings;
  private final Clock clock;
  private final ClusterSharding sharding;
  private final Set<String> ready = new HashSet<>();
  private final Set<String> ended = new HashSet<>();
  /** The final snapshots of the subtasks that finished in this attempt, by entity id. */
  private final Map<String, SubtaskSnapshot> finals = new HashMap<>();
  /** The subtasks that wait for the final checkpoint, by entity id. */
  private final Set<String> awaitingFinal = new HashSet<>();
  private final Map<String, ActorRef<EnumeratorHost.Command>> enumerators = new HashMap<>();
  private final List<Long> failureTimes = new ArrayList<>();
  /** The delay afterFailure chose for the restart it just decided (side effects stay here). */
  private Duration restartDelay = Duration.ZERO;
  private final Map<String, ActorRef<SubtaskEntity.Command>> refs = new HashMap<>();
  private List<String> subtasks = List.of();
  private PlannedJob planned;
  private final CheckpointCoordinator checkpoints;
  /** The attempt this master deployed and started; 0 before (the journal may say RUNNING). */
  private int runningAttempt;
  /**
   * Whether this incarnation of the master drives the job (it was submitted here or resumed):
   * a later {@link Resume} — another node starting, or a node of the cluster leaving — is then
   * no reason for a new attempt.
   */
  private boolean driving;

  private JobMaster(ActorContext<Command> context, TimerScheduler<Command> timers, String jobId,
      StreamSettings settings, Clock clock) {
    super(PersistenceId.of(KEY.name(), jobId));
    this.context = context;
    this.timers = timers;
    this.jobId = jobId;
    this.settings = settings;
    this.clock = clock;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.checkpoints = new CheckpointCoordinator(jobId, clock, context.getSystem());
  }

  @Override
  public State emptyState() {
    return new State(null, null, null, null, null);
  }

  /**
   * Every 20 events (about 20 checkpoints) the master's state — status, latest checkpoint — is
   * saved as a snapshot and older events are deleted, so the journal does not grow with every
   * checkpoint's state.
   */
  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(20, 2).withDeleteEventsOnSnapshot();
  }

  /**
   * A master that recovers a job that was running — on a node that starts, or on a survivor after
   * the node that hosted it left or died — resumes it (when {@code weir.stream.resume-jobs}).
   */
  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
      if (settings.resumeJobs()) {
        context.getSelf().tell(new Resume());
      }
    }).build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(GetStatus.class, (state, cmd) -> {
          cmd.replyTo().tell(state.status() == null
              ? StatusReply.error(new UnknownJobException(jobId))
              : StatusReply.success(state.status()));
          return Effect().none();
        })
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(Resume.class, this::onResume)
        .onCommand(SubtaskReady.class, this::onReady)
        .onCommand(SubtaskEnded.class, this::onEnded)
        .onCommand(SourceFailed.class, (state, f) -> onEnded(state, new SubtaskEnded(f.attempt(),
            null, -1, f.operator(), f.failure(), null)))
        .onCommand(SubtaskAwaitingFinalCheckpoint.class, (state, w) -> {
          if (state.status() != null && w.attempt() == state.status().attempt()) {
            String id = SubtaskEntity.entityId(jobId, w.vertex(), w.subtask());
            awaitingFinal.add(id);
            checkpoints.awaitingFinal(id, w.attempt());
            context.getSelf().tell(new CheckpointTick(w.attempt()));
          }
          return Effect().none();
        })
        .onCommand(DeployTimedOut.class, this::onTimeout)
        .onCommand(SubtaskStopped.class, (state, st) -> {
          String id = SubtaskEntity.entityId(jobId, st.vertex(), st.subtask());
          if (ended.contains(id)) {
            return Effect().none();
          }
          return onEnded(state, new SubtaskEnded(st.attempt(), st.vertex(), st.subtask(), null,
              "subtask " + id + " stopped", null));
        })
        .onCommand(RestartNow.class, this::onRestartNow)
        .onCommand(SavepointLoaded.class, this::onSavepointLoaded)
        .onCommand(TriggerSavepoint.class, this::onTriggerSavepoint)
        .onCommand(CheckpointTick.class, this::onCheckpointTick)
        .onCommand(CheckpointAck.class, this::onCheckpointAck)
        .onCommand(EnumeratorSnapshot.class, this::onEnumeratorSnapshot)
        .onCommand(CheckpointDeclined.class, (state, d) -> {
          if (checkpoints.isPending(d.checkpointId())) {
            context.getLog().info("job {}: checkpoint {} declined: {}", jobId, d.checkpointId(),
                d.reason());
            abandonCheckpoint(d.checkpointId(), "declined: " + d.reason());
          }
          return Effect().none();
        })
        .onCommand(CheckpointTimedOut.class, (state, t) -> {
          if (checkpoints.isPending(t.checkpointId())) {
            context.getLog().warn("job {}: checkpoint {} timed out", jobId, t.checkpointId());
            abandonCheckpoint(t.checkpointId(), "timed out");
          }
          return Effect().none();
        })
        .build();
  }

  private Effect<Event, State> onSubmit(State state, Submit cmd) {
    if (state.status() != null) {
      cmd.replyTo().tell(StatusReply.error("a job with id '" + jobId + "' exists already"));
      return Effect().none();
    }
    driving = true;
    Submitted submitted = new Submitted(cmd.definition(), cmd.args(), cmd.submittedAt(),
        cmd.fromSavepoint(), cmd.parallelism());
    if (cmd.fromSavepoint() != null) {
      // The savepoint is loaded first; the first attempt starts from it.
      return persist(submitted).thenRun(s -> {
        cmd.replyTo().tell(StatusReply.success(s.status()));
        loadSavepoint(cmd.fromSavepoint());
      });
    }
    List<Event> events = new ArrayList<>();
    events.add(submitted);
    events.addAll(newAttempt(cmd.definition(), cmd.args(), 0, cmd.parallelism()));
    return persist(events)
        .thenRun(s -> {
          deploy(s);
          cmd.replyTo().tell(StatusReply.success(s.status()));
        });
  }

  private void loadSavepoint(String id) {
    context.pipeToSelf(SavepointStore.ref(context.getSystem(), id)
            .askWithStatus(SavepointStore.Load::new, settings.askTimeout()),
        (saved, failure) -> new SavepointLoaded(saved,
            failure == null ? null : failure.getMessage()));
  }

  private Effect<Event, State> onSavepointLoaded(State state, SavepointLoaded loaded) {
    JobStatus status = state.status();
    if (status == null || status.state() != JobState.CREATED || status.attempt() != 0) {
      return Effect().none();
    }
    if (loaded.error() != null) {
      return persist(List.of(new Failing(null, "savepoint could not be loaded: "
          + loaded.error()), new Ended(JobState.FAILED, clock.millis())));
    }
    List<Event> events = new ArrayList<>();
    events.add(new CheckpointCompleted(loaded.saved().stats(), loaded.saved().snapshots(),
        loaded.saved().enumerators()));
    events.addAll(newAttempt(status.definition(), status.args(), 0, state.parallelism()));
    return persist(events).thenRun(this::deploy);
  }

  /** The events of starting an attempt; an attempt that cannot be planned fails the job. */
  private List<Event> newAttempt(String definition, List<String> args, int previous,
      Integer parallelism) {
    try {
      planned = JobPlanner.plan(definition, args,
          Thread.currentThread().getContextClassLoader(), parallelism);
      JobGraph graph = planned.jobGraph();
      List<String> ids = new ArrayList<>();
      for (JobVertex v : graph.vertices()) {
        for (int i = 0; i < v.parallelism(); i++) {
          ids.add(SubtaskEntity.entityId(jobId, v.id(), i));
        }
      }
      subtasks = List.copyOf(ids);
      return List.of(new AttemptStarted(previous + 1));
    } catch (RuntimeException e) {
      subtasks = List.of();
      planned = null;
      return List.of(new AttemptStarted(previous + 1), new Failing(null, e.toString()),
          new Ended(JobState.FAILED, clock.millis()));
    }
  }

  /** Deploys every subtask of the current attempt, from the latest checkpoint if any. */
  private void deploy(State s) {
    JobStatus status = s.status();
    if (status.state() != JobState.CREATED) {
      return;
    }
    ready.clear();
    ended.clear();
    finals.clear();
    awaitingFinal.clear();
    checkpoints.reset();
    stopEnumerators();
    CheckpointCompleted latest = s.latest();
    for (JobVertex v : planned.jobGraph().vertices()) {
      var connector = Sources.connectorOf(planned, v.id());
      if (connector != null) {
        enumerators.put(v.id(), context.spawn(EnumeratorHost.create(jobId, status.attempt(),
            v.id(), v.head().name(), v.parallelism(), connector.source(), context.getSelf(),
            settings.dispatcher(), latest == null ? null : latest.enumeratorOf(v.id())),
            "enumerator-" + status.attempt() + "-" + v.id()));
      }
      for (int i = 0; i < v.parallelism(); i++) {
        SubtaskRestore restore;
        try {
          restore = latest == null ? null : Restores.forSubtask(latest.stats().id(),
              latest.snapshots(), planned.jobGraph(), v, i);
        } catch (IllegalStateException e) {
          context.getSelf().tell(new SourceFailed(status.attempt(), v.head().name(),
              e.getMessage()));
          return;
        }
        sharding.entityRefFor(SubtaskEntity.KEY, SubtaskEntity.entityId(jobId, v.id(), i))
            .tell(new SubtaskEntity.Deploy(status.attempt(), status.definition(), status.args(),
                s.parallelism(), context.getSelf(), enumerators.get(v.id()), restore));
      }
    }
    timers.startSingleTimer("deploy", new DeployTimedOut(status.attempt()),
        settings.deployTimeout());
  }

  /** Persists, and stops the enumerators and checkpoints once the job stops running. */
  private EffectBuilder<Event, State> persist(Event event) {
    return persist(List.of(event));
  }

  private EffectBuilder<Event, State> persist(List<Event> events) {
    return Effect().persist(events).thenRun(s -> {
      JobState now = s.status().state();
      if (now != JobState.RUNNING && now != JobState.CREATED) {
        timers.cancel("checkpoint");
        checkpoints.reset();
      }
      if (now.isTerminal()) {
        stopEnumerators();
      }
    });
  }

  private void stopEnumerators() {
    enumerators.values().forEach(context::stop);
    enumerators.clear();
  }

  /** The latest completed checkpoint's id; -1 before the first. */
  private static long latestId(State s) {
    return s.latest() == null ? -1 : s.latest().stats().id();
  }

  private void tellAll(SubtaskEntity.Command message) {
    for (String id : subtasks) {
      sharding.entityRefFor(SubtaskEntity.KEY, id).tell(message);
    }
  }

  private Effect<Event, State> onResume(State state, Resume cmd) {
    JobStatus status = state.status();
    if (status == null || status.state().isTerminal() || driving) {
      return Effect().none();
    }
    driving = true;
    if (status.attempt() == 0 && state.fromSavepoint() != null) {
      // Stopped before its savepoint was loaded: load it now.
      loadSavepoint(state.fromSavepoint());
      return Effect().none();
    }
    return switch (status.state()) {
      case CREATED, RUNNING, RESTARTING -> persist(
          newAttempt(status.definition(), status.args(), status.attempt(),
              state.parallelism()))
          .thenRun(this::deploy);
      case FAILING -> persist(new Ended(JobState.FAILED, clock.millis()));
      default -> persist(new Ended(JobState.CANCELED, clock.millis()));
    };
  }

  private Effect<Event, State> onReady(State state, SubtaskReady r) {
    JobStatus status = state.status();
    if (status == null || r.attempt() != status.attempt()
        || status.state() != JobState.CREATED) {
      return Effect().none();
    }
    ready.add(SubtaskEntity.entityId(jobId, r.vertex(), r.subtask()));
    // A subtask that stops (its node gone, its entity stopped) without reporting fails the attempt.
    ActorRef<SubtaskEntity.Command> previous = refs.put(
        SubtaskEntity.entityId(jobId, r.vertex(), r.subtask()), r.ref());
    if (previous != null) {
      context.unwatch(previous);
    }
    context.watchWith(r.ref(), new SubtaskStopped(r.attempt(), r.vertex(), r.subtask()));
    if (ready.size() < subtasks.size()) {
      return Effect().none();
    }
    timers.cancel("deploy");
    return persist(new Running(r.attempt()))
        .thenRun(s -> {
          runningAttempt = r.attempt();
          tellAll(new SubtaskEntity.Run(r.attempt()));
          CheckpointConfig config = checkpointConfig();
          if (config != null) {
            checkpoints.reset();
            timers.startTimerWithFixedDelay("checkpoint", new CheckpointTick(r.attempt()),
                config.interval());
          }
        });
  }

  private CheckpointConfig checkpointConfig() {
    return planned == null ? null : planned.jobGraph().execution().checkpoints();
  }

  /** Whether this node is shutting down: its subtasks stop then, which is no failure. */
  private boolean shuttingDown() {
    return org.apache.pekko.actor.CoordinatedShutdown.get(context.getSystem().classicSystem())
        .getShutdownReason().isPresent();
  }

  private Effect<Event, State> onEnded(State state, SubtaskEnded e) {
    if (e.failure() != null && shuttingDown()) {
      // The job stays as it was and is resumed when a node starts again.
      return Effect().none();
    }
    JobStatus status = state.status();
    if (status == null || e.attempt() != status.attempt() || status.state().isTerminal()
        || status.state() == JobState.RESTARTING) {
      return Effect().none();
    }
    String endedId = null;
    if (e.vertex() != null) {
      String id = SubtaskEntity.entityId(jobId, e.vertex(), e.subtask());
      endedId = id;
      ended.add(id);
      awaitingFinal.remove(id);
      if (e.failure() == null && e.finalSnapshot() != null) {
        finals.put(id, e.finalSnapshot());
      }
      ActorRef<SubtaskEntity.Command> ref = refs.remove(id);
      if (ref != null) {
        // Its end is known: its stopping is no failure. Then let it go.
        context.unwatch(ref);
        ref.tell(new SubtaskEntity.Release(e.attempt()));
      }
    }
    boolean all = ended.size() >= subtasks.size();
    JobState now = status.state();
    if (e.failure() != null && (now == JobState.CREATED || now == JobState.RUNNING)) {
      failureTimes.add(clock.millis());
      String failure = (e.vertex() == null ? ""
          : "subtask " + e.subtask() + " of " + e.vertex() + ": ") + e.failure();
      List<Event> events = new ArrayList<>();
      events.add(new Failing(e.operator(), failure));
      if (all) {
        events.add(afterFailure(status));
      }
      return persist(events).thenRun(s -> {
        if (s.status().state() == JobState.FAILING) {
          tellAll(new SubtaskEntity.Cancel(e.attempt(), latestId(s)));
          timers.startSingleTimer("deploy", new DeployTimedOut(e.attempt()),
              settings.deployTimeout());
        }
        scheduleRestart(s);
      });
    }
    if (!all) {
      if (endedId != null && e.finalSnapshot() != null && e.failure() == null) {
        // It finished before the barrier of a checkpoint in progress reached it (all its inputs
        // had ended before that checkpoint began): its final snapshot is its part.
        Long completable = checkpoints.acknowledgeFinished(endedId, e.finalSnapshot(),
            subtasks.size(), enumerators.size());
        if (completable != null) {
          return completeIfAll(state, completable);
        }
      }
      return Effect().none();
    }
    timers.cancel("deploy");
    return switch (now) {
      case FAILING -> persist(afterFailure(status)).thenRun(this::scheduleRestart);
      case CANCELING -> persist(new Ended(JobState.CANCELED, clock.millis()));
      default -> persist(new Ended(JobState.FINISHED, clock.millis()));
    };
  }

  /** Once every subtask stopped after a failure: a restart by the strategy, or the end. */
  private Event afterFailure(JobStatus status) {
    RestartStrategy strategy = planned == null ? RestartStrategy.none()
        : planned.jobGraph().execution().restarts();
    long now = clock.millis();
    int recent = failureTimes.size();
    if (strategy instanceof RestartStrategy.FailureRate rate) {
      failureTimes.removeIf(t -> t < now - rate.interval().toMillis());
      recent = failureTimes.size();
    }
    Duration delay = strategy.delayBefore(status.restarts() + 1, recent);
    if (delay == null) {
      return new Ended(JobState.FAILED, now);
    }
    restartDelay = delay;
    return new Restarting(delay.toMillis());
  }

  private void scheduleRestart(State s) {
    if (s.status().state() == JobState.RESTARTING) {
      timers.startSingleTimer("restart", new RestartNow(s.status().attempt()), restartDelay);
    }
  }

  private Effect<Event, State> onRestartNow(State state, RestartNow r) {
    JobStatus status = state.status();
    if (status == null || status.state() != JobState.RESTARTING
        || status.attempt() != r.attempt()) {
      return Effect().none();
    }
    return persist(newAttempt(status.definition(), status.args(), status.attempt(),
              state.parallelism()))
        .thenRun(this::deploy);
  }

  private Effect<Event, State> onCancel(State state, Cancel cmd) {
    JobStatus status = state.status();
    if (status == null) {
      cmd.replyTo().tell(StatusReply.error(new UnknownJobException(jobId)));
      return Effect().none();
    }
    if (status.state().isTerminal() || status.state() == JobState.CANCELING) {
      cmd.replyTo().tell(StatusReply.success(status));
      return Effect().none();
    }
    List<Event> events = new ArrayList<>();
    events.add(new Canceling());
    if (subtasks.isEmpty() || ended.size() >= subtasks.size()
        || status.state() == JobState.RESTARTING) {
      events.add(new Ended(JobState.CANCELED, cmd.at()));
    }
    return persist(events).thenRun(s -> {
      if (!s.status().state().isTerminal()) {
        tellAll(new SubtaskEntity.Cancel(s.status().attempt(), latestId(s)));
        timers.startSingleTimer("deploy", new DeployTimedOut(s.status().attempt()),
            settings.deployTimeout());
      }
      cmd.replyTo().tell(StatusReply.success(s.status()));
    });
  }

  private Effect<Event, State> onTimeout(State state, DeployTimedOut t) {
    JobStatus status = state.status();
    if (status == null || t.attempt() != status.attempt()) {
      return Effect().none();
    }
    return switch (status.state()) {
      case CREATED -> {
        // A failure like any other (a node that died before it was downed, a slow start): the
        // restart strategy decides between another attempt and the end.
        List<String> missing = subtasks.stream().filter(id -> !ready.contains(id)).toList();
        failureTimes.add(clock.millis());
        yield persist(List.of(new Failing(null, "subtasks " + missing
                + " were not deployed within " + settings.deployTimeout()),
            afterFailure(status)))
            .thenRun(s -> {
              tellAll(new SubtaskEntity.Cancel(t.attempt(), latestId(s)));
              scheduleRestart(s);
            });
      }
      case FAILING -> persist(afterFailure(status)).thenRun(this::scheduleRestart);
      case CANCELING -> persist(new Ended(JobState.CANCELED, clock.millis()));
      default -> Effect().none();
    };
  }

  // ---- checkpoints ------------------------------------------------------------------------

  /** Starts a checkpoint when none is in progress and the minimum pause has passed. */
  private Effect<Event, State> onCheckpointTick(State state, CheckpointTick tick) {
    JobStatus status = state.status();
    CheckpointConfig config = checkpointConfig();
    if (status == null || config == null || status.state() != JobState.RUNNING
        || tick.attempt() != status.attempt() || ended.size() >= subtasks.size()
        || !checkpoints.mayStart(config)) {
      return Effect().none();
    }
    startCheckpoint(state, null);
    return Effect().none();
  }

  private Effect<Event, State> onTriggerSavepoint(State state, TriggerSavepoint cmd) {
    JobStatus status = state.status();
    if (cmd.checkpointId() != null) {
      CheckpointCompleted retained = status == null ? null : state.retained(cmd.checkpointId());
      if (retained == null) {
        cmd.replyTo().tell(StatusReply.error("job " + jobId + " has no retained checkpoint "
            + cmd.checkpointId() + "; it retains " + (status == null ? "none (unknown job)"
            : state.retainedIds().isEmpty() ? "none" : state.retainedIds())));
      } else {
        storeSavepoint(state, retained, cmd);
      }
    } else if (status != null && (status.state() == JobState.CREATED
        || status.state() == JobState.RESTARTING)) {
      // A recovered or restarting master deploys a new attempt before it runs again.
      cmd.replyTo().tell(StatusReply.error("job " + jobId + " is " + status.state()
          + ", being deployed; try again in a moment"));
    } else if (status == null || status.state() != JobState.RUNNING) {
      cmd.replyTo().tell(StatusReply.error("job " + jobId + " is "
          + (status == null ? "unknown" : status.state()) + ", not RUNNING: no savepoint"));
    } else if (runningAttempt != status.attempt()) {
      // RUNNING in the journal, but this master has not deployed the attempt (yet).
      cmd.replyTo().tell(StatusReply.error("job " + jobId + " is being deployed again;"
          + " try again in a moment"));
    } else if (!checkpoints.mayStart(checkpointConfig())) {
      cmd.replyTo().tell(StatusReply.error(checkpoints.inProgress() + " checkpoint(s) of job "
          + jobId + " in progress; try again in a moment"));
    } else if (!ended.isEmpty()) {
      cmd.replyTo().tell(StatusReply.error("part of job " + jobId + " has finished; a"
          + " savepoint needs every subtask running"));
    } else {
      startCheckpoint(state, cmd);
    }
    return Effect().none();
  }

  /** Triggers the next checkpoint at the sources; a savepoint when {@code savepoint} is set. */
  private void startCheckpoint(State state, TriggerSavepoint savepoint) {
    long id = checkpoints.nextId(state.latest() == null ? 0 : state.latest().stats().id());
    checkpoints.start(id, state.status().attempt(), planned.jobGraph(), enumerators, savepoint,
        finals, awaitingFinal);
    CheckpointConfig config = checkpointConfig();
    timers.startSingleTimer("checkpoint-timeout-" + id, new CheckpointTimedOut(id),
        config == null ? Duration.ofMinutes(10) : config.timeout());
  }

  private Effect<Event, State> onCheckpointAck(State state, CheckpointAck ack) {
    JobStatus status = state.status();
    if (status == null || ack.attempt() != status.attempt()
        || !checkpoints.acknowledge(ack.snapshot(), ack.bytes())) {
      return Effect().none();
    }
    return completeIfAll(state, ack.snapshot().checkpointId());
  }

  private Effect<Event, State> onEnumeratorSnapshot(State state, EnumeratorSnapshot e) {
    JobStatus status = state.status();
    if (status == null || e.attempt() != status.attempt()
        || !checkpoints.enumeratorState(e.checkpointId(), e.vertex(), e.state())) {
      return Effect().none();
    }
    return completeIfAll(state, e.checkpointId());
  }

  /** Persists the checkpoint once every subtask and every enumerator took its part. */
  private Effect<Event, State> completeIfAll(State state, long id) {
    if (!checkpoints.allIn(id, subtasks.size(), enumerators.size())
        || (state.latest() != null && state.latest().stats().id() >= id)) {
      return Effect().none();
    }
    CheckpointConfig config = checkpointConfig();
    CheckpointCompleted completed = checkpoints.completed(id,
        config == null ? 1 : config.retained());
    timers.cancel("checkpoint-timeout-" + id);
    int attempt = state.status().attempt();
    return persist(completed).thenRun(s -> {
      TriggerSavepoint savepoint = checkpoints.finish(id);
      tellAll(new SubtaskEntity.CheckpointComplete(attempt, id));
      if (!awaitingFinal.isEmpty()) {
        // A subtask that ended during this checkpoint still waits for one taken after its end.
        context.getSelf().tell(new CheckpointTick(attempt));
      }
      enumerators.values().forEach(h -> h.tell(new EnumeratorHost.CheckpointComplete(id)));
      if (savepoint != null) {
        storeSavepoint(s, s.latest(), savepoint);
      }
    });
  }

  /** Keeps the checkpoint apart as a savepoint; then, for stop, cancels the job. */
  private void storeSavepoint(State s, CheckpointCompleted checkpoint,
      TriggerSavepoint request) {
    String id = jobId + "-savepoint-" + checkpoint.stats().id();
    ActorRef<Command> self = context.getSelf();
    ActorRef<StatusReply<JobStatus>> ignore = context.getSystem().ignoreRef();
    SavepointStore.ref(context.getSystem(), id)
        .<org.apache.pekko.Done>askWithStatus(r -> new SavepointStore.Store(
            new SavepointStore.Saved(jobId, s.status().definition(), checkpoint.stats(),
                checkpoint.snapshots(), checkpoint.enumerators()), r), settings.askTimeout())
        .whenComplete((done, failure) -> {
          if (failure != null) {
            request.replyTo().tell(StatusReply.error("savepoint " + id + " could not be"
                + " stored: " + failure.getMessage()));
          } else {
            request.replyTo().tell(StatusReply.success(id));
            if (request.stop()) {
              self.tell(new Cancel(clock.millis(), ignore));
            }
          }
        });
  }

  private void abandonCheckpoint(long id, String reason) {
    checkpoints.abandon(id, reason);
    timers.cancel("checkpoint-timeout-" + id);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Submitted.class, (state, e) -> new State(new JobStatus(jobId, e.definition(),
            e.args(), JobState.CREATED, 0, e.at(), 0, null, null, 0, List.of()), null,
            e.parallelism(), e.fromSavepoint(), null))
        .onEvent(AttemptStarted.class, (state, e) ->
            with(state, JobState.CREATED, e.attempt(), 0))
        .onEvent(Running.class, (state, e) -> with(state, JobState.RUNNING, e.attempt(), 0))
        .onEvent(Failing.class, (state, e) -> {
          JobStatus s = state.status();
          return state.with(new JobStatus(jobId, s.definition(), s.args(), JobState.FAILING,
              s.attempt(), s.submittedAt(), 0, e.operator(), e.failure(), s.restarts(),
              s.checkpoints()));
        })
        .onEvent(Restarting.class, (state, e) -> {
          JobStatus s = state.status();
          return state.with(new JobStatus(jobId, s.definition(), s.args(), JobState.RESTARTING,
              s.attempt(), s.submittedAt(), 0, s.failedOperator(), s.failure(),
              s.restarts() + 1, s.checkpoints()));
        })
        .onEvent(Canceling.class, (state, e) ->
            with(state, JobState.CANCELING, state.status().attempt(), 0))
        .onEvent(Ended.class, (state, e) ->
            with(state, e.state(), state.status().attempt(), e.at()))
        .onEvent(CheckpointCompleted.class, (state, e) -> {
          JobStatus s = state.status();
          List<CheckpointStats> history = new ArrayList<>(s.checkpoints());
          history.add(e.stats());
          while (history.size() > HISTORY) {
            history.remove(0);
          }
          // The previous latest joins the older retained ones; beyond the number the event
          // records (the job's configuration then), the oldest are dropped.
          int retained = Math.max(1, e.retain());
          List<CheckpointCompleted> older = new ArrayList<>(
              state.older() == null ? List.of() : state.older());
          if (state.latest() != null) {
            older.add(state.latest());
          }
          while (older.size() > retained - 1) {
            older.remove(0);
          }
          return new State(new JobStatus(jobId, s.definition(), s.args(), s.state(),
              s.attempt(), s.submittedAt(), s.endedAt(), s.failedOperator(), s.failure(),
              s.restarts(), history), e, state.parallelism(), state.fromSavepoint(),
              older.isEmpty() ? null : List.copyOf(older));
        })
        .build();
  }

  private State with(State state, JobState next, int attempt, long endedAt) {
    JobStatus s = state.status();
    return state.with(new JobStatus(jobId, s.definition(), s.args(), next, attempt,
        s.submittedAt(), endedAt, s.failedOperator(), s.failure(), s.restarts(),
        s.checkpoints()));
  }
}
