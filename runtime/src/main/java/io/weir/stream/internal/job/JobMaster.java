package io.weir.stream.internal.job;

import io.weir.api.CborSerializable;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.UnknownJobException;
import io.weir.stream.internal.JobGraph;
import io.weir.stream.internal.JobPlanner;
import io.weir.stream.internal.JobVertex;
import io.weir.stream.internal.PlannedJob;
import io.weir.stream.internal.exec.Sources;
import java.time.Clock;
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
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

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
  public static final EntityTypeKey<Command> KEY = EntityTypeKey.create(Command.class, "weir-job");

  /** The master's commands. */
  public interface Command {}

  /** Submit the job; replies with its status. */
  public record Submit(String definition, List<String> args, long submittedAt,
      ActorRef<StatusReply<JobStatus>> replyTo) implements Command, CborSerializable {}

  /** Reply with the job's status, or an error when no job has this id. */
  public record GetStatus(ActorRef<StatusReply<JobStatus>> replyTo)
      implements Command, CborSerializable {}

  /** Cancel the job; replies with its status. */
  public record Cancel(long at, ActorRef<StatusReply<JobStatus>> replyTo)
      implements Command, CborSerializable {}

  /** The node started: run the job again if it was running. */
  public record Resume() implements Command, CborSerializable {}

  /** A subtask of an attempt is deployed and its input is open. */
  public record SubtaskReady(int attempt, String vertex, int subtask)
      implements Command, CborSerializable {}

  /**
   * A subtask of an attempt ended.
   *
   * @param operator the operator whose user code failed; null when none did
   * @param failure the failure as text; null when the subtask finished
   */
  public record SubtaskEnded(int attempt, String vertex, int subtask, String operator,
      String failure) implements Command, CborSerializable {}

  /** A connector source's split enumerator failed. */
  public record SourceFailed(int attempt, String operator, String failure)
      implements Command, CborSerializable {}

  private record DeployTimedOut(int attempt)
      implements Command, NoSerializationVerificationNeeded {}

  /** The master's journal. */
  public sealed interface Event extends CborSerializable {}

  /** The job was submitted. */
  public record Submitted(String definition, List<String> args, long at) implements Event {}

  /** A new attempt is being deployed. */
  public record AttemptStarted(int attempt) implements Event {}

  /** Every subtask of the attempt is deployed and was told to run. */
  public record Running(int attempt) implements Event {}

  /** A subtask failed; the others are being stopped. */
  public record Failing(String operator, String failure) implements Event {}

  /** Cancel was asked. */
  public record Canceling() implements Event {}

  /** The job ended in a terminal state. */
  public record Ended(JobState state, long at) implements Event {}

  /** The job's status; null before it is submitted. */
  public record State(JobStatus status) implements CborSerializable {}

  /** Starts sharding of job masters; they never passivate, so running jobs keep their master. */
  public static void init(ActorSystem<?> system, StreamSettings settings, Clock clock) {
    ClusterSharding.get(system).init(Entity.of(KEY, ctx -> Behaviors.<Command>setup(c ->
            Behaviors.withTimers(t -> new JobMaster(c, t, ctx.getEntityId(), settings, clock))))
        .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String jobId;
  private final StreamSettings settings;
  private final Clock clock;
  private final ClusterSharding sharding;
  private final Set<String> ready = new HashSet<>();
  private final Set<String> ended = new HashSet<>();
  private List<String> subtasks = List.of();
  private PlannedJob planned;
  private final Map<String, ActorRef<EnumeratorHost.Command>> enumerators = new HashMap<>();

  private JobMaster(ActorContext<Command> context, TimerScheduler<Command> timers, String jobId,
      StreamSettings settings, Clock clock) {
    super(PersistenceId.of(KEY.name(), jobId));
    this.context = context;
    this.timers = timers;
    this.jobId = jobId;
    this.settings = settings;
    this.clock = clock;
    this.sharding = ClusterSharding.get(context.getSystem());
  }

  @Override
  public State emptyState() {
    return new State(null);
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
            null, -1, f.operator(), f.failure())))
        .onCommand(DeployTimedOut.class, this::onTimeout)
        .build();
  }

  private Effect<Event, State> onSubmit(State state, Submit cmd) {
    if (state.status() != null) {
      cmd.replyTo().tell(StatusReply.error("a job with id '" + jobId + "' exists already"));
      return Effect().none();
    }
    List<Event> events = new ArrayList<>();
    events.add(new Submitted(cmd.definition(), cmd.args(), cmd.submittedAt()));
    events.addAll(newAttempt(cmd.definition(), cmd.args(), 0));
    return persist(events)
        .thenRun(s -> {
          deploy(s);
          cmd.replyTo().tell(StatusReply.success(s.status()));
        });
  }

  /** The events of starting an attempt; an attempt that cannot be planned fails the job. */
  private List<Event> newAttempt(String definition, List<String> args, int previous) {
    try {
      planned = JobPlanner.plan(definition, args,
          Thread.currentThread().getContextClassLoader());
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

  private void deploy(State s) {
    JobStatus status = s.status();
    if (status.state() != JobState.CREATED) {
      return;
    }
    ready.clear();
    ended.clear();
    stopEnumerators();
    for (JobVertex v : planned.jobGraph().vertices()) {
      var connector = Sources.connectorOf(planned, v.id());
      if (connector != null) {
        enumerators.put(v.id(), context.spawn(EnumeratorHost.create(jobId, status.attempt(),
            v.id(), v.head().name(), v.parallelism(), connector.source(), context.getSelf(),
            settings.dispatcher()), "enumerator-" + status.attempt() + "-" + v.id()));
      }
      for (int i = 0; i < v.parallelism(); i++) {
        sharding.entityRefFor(SubtaskEntity.KEY, SubtaskEntity.entityId(jobId, v.id(), i))
            .tell(new SubtaskEntity.Deploy(status.attempt(), status.definition(), status.args(),
                context.getSelf(), enumerators.get(v.id())));
      }
    }
    timers.startSingleTimer("deploy", new DeployTimedOut(status.attempt()),
        settings.deployTimeout());
  }

  /** Persists, and stops the enumerators once the job is terminal. */
  private EffectBuilder<Event, State> persist(Event event) {
    return persist(List.of(event));
  }

  private EffectBuilder<Event, State> persist(List<Event> events) {
    return Effect().persist(events).thenRun(s -> {
      if (s.status().state().isTerminal()) {
        stopEnumerators();
      }
    });
  }

  private void stopEnumerators() {
    enumerators.values().forEach(context::stop);
    enumerators.clear();
  }

  private void tellAll(SubtaskEntity.Command message) {
    for (String id : subtasks) {
      sharding.entityRefFor(SubtaskEntity.KEY, id).tell(message);
    }
  }

  private Effect<Event, State> onResume(State state, Resume cmd) {
    JobStatus status = state.status();
    if (status == null || status.state().isTerminal()) {
      return Effect().none();
    }
    return switch (status.state()) {
      case CREATED, RUNNING -> Effect()
          .persist(newAttempt(status.definition(), status.args(), status.attempt()))
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
    if (ready.size() < subtasks.size()) {
      return Effect().none();
    }
    timers.cancel("deploy");
    return persist(new Running(r.attempt()))
        .thenRun(s -> tellAll(new SubtaskEntity.Run(r.attempt())));
  }

  private Effect<Event, State> onEnded(State state, SubtaskEnded e) {
    JobStatus status = state.status();
    if (status == null || e.attempt() != status.attempt() || status.state().isTerminal()) {
      return Effect().none();
    }
    if (e.vertex() != null) {
      ended.add(SubtaskEntity.entityId(jobId, e.vertex(), e.subtask()));
    }
    boolean all = ended.size() >= subtasks.size();
    JobState now = status.state();
    if (e.failure() != null && (now == JobState.CREATED || now == JobState.RUNNING)) {
      List<Event> events = new ArrayList<>();
      events.add(new Failing(e.operator(), (e.vertex() == null ? ""
          : "subtask " + e.subtask() + " of " + e.vertex() + ": ") + e.failure()));
      if (all) {
        events.add(new Ended(JobState.FAILED, clock.millis()));
      }
      return persist(events).thenRun(s -> {
        if (!s.status().state().isTerminal()) {
          tellAll(new SubtaskEntity.Cancel(e.attempt()));
          timers.startSingleTimer("deploy", new DeployTimedOut(e.attempt()),
              settings.deployTimeout());
        }
      });
    }
    if (!all) {
      return Effect().none();
    }
    timers.cancel("deploy");
    JobState end = switch (now) {
      case FAILING -> JobState.FAILED;
      case CANCELING -> JobState.CANCELED;
      default -> JobState.FINISHED;
    };
    return persist(new Ended(end, clock.millis()));
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
    if (subtasks.isEmpty() || ended.size() >= subtasks.size()) {
      events.add(new Ended(JobState.CANCELED, cmd.at()));
    }
    return persist(events).thenRun(s -> {
      if (!s.status().state().isTerminal()) {
        tellAll(new SubtaskEntity.Cancel(s.status().attempt()));
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
        List<String> missing = subtasks.stream().filter(id -> !ready.contains(id)).toList();
        yield persist(List.of(new Failing(null, "subtasks " + missing
                + " were not deployed within " + settings.deployTimeout()),
            new Ended(JobState.FAILED, clock.millis())))
            .thenRun(s -> tellAll(new SubtaskEntity.Cancel(t.attempt())));
      }
      case FAILING -> persist(new Ended(JobState.FAILED, clock.millis()));
      case CANCELING -> persist(new Ended(JobState.CANCELED, clock.millis()));
      default -> Effect().none();
    };
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Submitted.class, (state, e) -> new State(new JobStatus(jobId, e.definition(),
            e.args(), JobState.CREATED, 0, e.at(), 0, null, null)))
        .onEvent(AttemptStarted.class, (state, e) ->
            with(state, JobState.CREATED, e.attempt(), 0))
        .onEvent(Running.class, (state, e) -> with(state, JobState.RUNNING, e.attempt(), 0))
        .onEvent(Failing.class, (state, e) -> {
          JobStatus s = state.status();
          return new State(new JobStatus(jobId, s.definition(), s.args(), JobState.FAILING,
              s.attempt(), s.submittedAt(), 0, e.operator(), e.failure()));
        })
        .onEvent(Canceling.class, (state, e) ->
            with(state, JobState.CANCELING, state.status().attempt(), 0))
        .onEvent(Ended.class, (state, e) ->
            with(state, e.state(), state.status().attempt(), e.at()))
        .build();
  }

  private State with(State state, JobState next, int attempt, long endedAt) {
    JobStatus s = state.status();
    return new State(new JobStatus(jobId, s.definition(), s.args(), next, attempt,
        s.submittedAt(), endedAt, s.failedOperator(), s.failure()));
  }
}
