package io.weir.stream.internal.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.weir.log.api.Log;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.Jobs;
import io.weir.stream.api.SubmitOptions;
import io.weir.stream.internal.JobPlanner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Jobs} on an actor system: starts the job entities' sharding and resumes jobs. */
public final class JobsImpl implements Jobs {
  private static final Logger LOG = LoggerFactory.getLogger(JobsImpl.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final ActorSystem<?> system;
  private final StreamSettings settings;
  private final Clock clock;
  private final ClusterSharding sharding;

  /**
   * Starts the stream runtime on a system: sharding of job masters, subtasks and the job
   * directory, and, when {@code weir.stream.resume-jobs} is on, a new attempt of every job that
   * was running.
   *
   * @param system the actor system
   * @param log the log, for log sources and sinks
   * @param clock the wall clock
   * @param metrics where operators' metrics go
   */
  public JobsImpl(ActorSystem<?> system, Log log, Clock clock, MeterRegistry metrics) {
    this.system = system;
    this.settings = StreamSettings.fromConfig(system.settings().config());
    this.clock = clock;
    this.sharding = ClusterSharding.get(system);
    JobDirectory.init(system);
    JobMaster.init(system, settings, clock);
    SavepointStore.init(system);
    SubtaskEntity.init(system, settings, log, clock::millis, metrics);
    if (settings.resumeJobs()) {
      resumeAll();
    }
  }

  private void resumeAll() {
    JobDirectory.ref(system)
        .<JobDirectory.JobIds>ask(JobDirectory.ListJobs::new, settings.askTimeout())
        .whenComplete((ids, failure) -> {
          if (failure != null) {
            LOG.error("could not list the jobs to resume them", failure);
          } else {
            ids.ids().forEach(id -> master(id).tell(new JobMaster.Resume()));
          }
        });
  }

  private EntityRef<JobMaster.Command> master(String jobId) {
    return sharding.entityRefFor(JobMaster.KEY, jobId);
  }

  @Override
  public CompletionStage<JobStatus> submit(String definitionClass, List<String> args,
      SubmitOptions options) {
    try {
      JobPlanner.plan(definitionClass, args, Thread.currentThread().getContextClassLoader(),
          options.parallelism());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    String simple = definitionClass.substring(definitionClass.lastIndexOf('.') + 1)
        .replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
    String jobId = (simple.isEmpty() ? "job" : simple) + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    List<String> copy = List.copyOf(args);
    long now = clock.millis();
    return JobDirectory.ref(system)
        .<org.apache.pekko.Done>ask(r -> new JobDirectory.Register(jobId, r),
            settings.askTimeout())
        .thenCompose(done -> master(jobId).askWithStatus(
            r -> new JobMaster.Submit(definitionClass, copy, now, options.fromSavepoint(),
                options.parallelism(), r), settings.askTimeout()));
  }

  @Override
  public CompletionStage<List<JobStatus>> list() {
    return JobDirectory.ref(system)
        .<JobDirectory.JobIds>ask(JobDirectory.ListJobs::new, settings.askTimeout())
        .thenCompose(ids -> {
          List<CompletableFuture<JobStatus>> all = ids.ids().stream()
              .map(id -> status(id).toCompletableFuture()).toList();
          return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
              .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
        });
  }

  @Override
  public CompletionStage<JobStatus> status(String jobId) {
    return master(jobId).askWithStatus(JobMaster.GetStatus::new, settings.askTimeout());
  }

  @Override
  public CompletionStage<String> savepoint(String jobId, boolean stop) {
    return master(jobId).askWithStatus(r -> new JobMaster.TriggerSavepoint(stop, null, r),
        settings.askTimeout());
  }

  @Override
  public CompletionStage<String> savepointOf(String jobId, long checkpointId) {
    return master(jobId).askWithStatus(
        r -> new JobMaster.TriggerSavepoint(false, checkpointId, r), settings.askTimeout());
  }

  @Override
  public CompletionStage<JobStatus> cancel(String jobId) {
    return master(jobId).askWithStatus(r -> new JobMaster.Cancel(clock.millis(), r),
        settings.askTimeout());
  }

  @Override
  public CompletionStage<JobStatus> awaitTermination(String jobId, Duration timeout) {
    CompletableFuture<JobStatus> result = new CompletableFuture<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    poll(jobId, deadline, timeout, result);
    return result;
  }

  private void poll(String jobId, long deadline, Duration timeout,
      CompletableFuture<JobStatus> result) {
    status(jobId).whenComplete((s, failure) -> {
      if (failure != null) {
        result.completeExceptionally(failure);
      } else if (s.state().isTerminal()) {
        result.complete(s);
      } else if (System.nanoTime() > deadline) {
        result.completeExceptionally(new TimeoutException("job " + jobId + " is still "
            + s.state() + " after " + timeout));
      } else {
        system.scheduler().scheduleOnce(POLL, () -> poll(jobId, deadline, timeout, result),
            system.executionContext());
      }
    });
  }
}
