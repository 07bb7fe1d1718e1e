package io.weir.stream.internal.job;

import io.weir.api.CborSerializable;
import io.weir.stream.api.source.Source;
import io.weir.stream.api.source.SourceSplit;
import io.weir.stream.api.source.SplitEnumerator;
import io.weir.stream.api.source.SplitEnumeratorContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Hosts the {@link SplitEnumerator} of one connector source for one attempt of a job: a child
 * of the job master, so discovery runs beside the job's coordination and ends with the attempt.
 * The enumerator's methods run on this actor, one at a time; its blocking work runs on the
 * stream dispatcher through {@code callAsync}, whose handlers come back here.
 *
 * <p>Readers register through their subtask entity ({@link RegisterReader}) and ask for splits
 * the same way ({@link RequestSplit}), so the host sees them in the order they happened.
 * Assigned splits go to the subtask entities as {@link SubtaskEntity.AddSplits}. A failure of
 * the enumerator fails the job, naming the source.
 */
public final class EnumeratorHost extends AbstractBehavior<EnumeratorHost.Command> {
  /** The host's messages. */
  public interface Command {}

  /** A reader's subtask is running and can receive splits. */
  public record RegisterReader(int subtask) implements Command, CborSerializable {}

  /** A reader asks for a split. */
  public record RequestSplit(int subtask) implements Command, CborSerializable {}

  /**
   * Checkpoint {@code id}: snapshot the enumerator, send its state to the master, then trigger
   * the checkpoint at every reader — after the snapshot and before any later assignment, so a
   * split assigned after the enumerator's snapshot reaches its reader after the reader's
   * barrier (and is in neither snapshot twice).
   */
  public record TriggerCheckpoint(long id, List<Integer> readers)
      implements Command, CborSerializable {}

  /** Checkpoint {@code id} completed. */
  public record CheckpointComplete(long id) implements Command, CborSerializable {}

  private record AsyncDone(BiConsumer<Object, Throwable> handler, Object result,
      Throwable failure) implements Command, NoSerializationVerificationNeeded {}

  /**
   * The behavior of a host.
   *
   * @param jobId the job
   * @param attempt the attempt it serves
   * @param vertexId the source's vertex
   * @param operator the source operator's name
   * @param parallelism the source's parallelism
   * @param source the connector, as this node's plan created it
   * @param master where a failure is reported
   * @param blocking the dispatcher blocking discovery runs on
   * @param restored the enumerator's state at the checkpoint restored; null for a fresh start
   */
  public static Behavior<Command> create(String jobId, int attempt, String vertexId,
      String operator, int parallelism, Source<?, ?, ?> source,
      ActorRef<JobMaster.Command> master, String blocking, Object restored) {
    return Behaviors.setup(ctx -> new EnumeratorHost(ctx, jobId, attempt, vertexId, operator,
        parallelism, source, master, blocking, restored));
  }

  private final String jobId;
  private final int attempt;
  private final String vertexId;
  private final String operator;
  private final int parallelism;
  private final ActorRef<JobMaster.Command> master;
  private final Executor executor;
  private final ClusterSharding sharding;
  private final ActorRef<Command> self;
  private final Set<Integer> readers = new TreeSet<>();
  private final List<Cancellable> periodic = new ArrayList<>();
  private SplitEnumerator<SourceSplit, ?> enumerator;
  private boolean failed;

  @SuppressWarnings("unchecked")
  private EnumeratorHost(ActorContext<Command> context, String jobId, int attempt,
      String vertexId, String operator, int parallelism, Source<?, ?, ?> source,
      ActorRef<JobMaster.Command> master, String blocking, Object restored) {
    super(context);
    this.jobId = jobId;
    this.attempt = attempt;
    this.vertexId = vertexId;
    this.operator = operator;
    this.parallelism = parallelism;
    this.master = master;
    this.executor = context.getSystem().dispatchers()
        .lookup(DispatcherSelector.fromConfig(blocking));
    this.sharding = ClusterSharding.get(context.getSystem());
    this.self = context.getSelf();
    try {
      Source<?, SourceSplit, Object> typed = (Source<?, SourceSplit, Object>) source;
      enumerator = (SplitEnumerator<SourceSplit, ?>) (restored == null
          ? typed.createEnumerator(new Context())
          : typed.restoreEnumerator(new Context(), restored));
      enumerator.start();
    } catch (Exception e) {
      fail(e);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RegisterReader.class, r -> call(() -> {
          readers.add(r.subtask());
          enumerator.addReader(r.subtask());
        }))
        .onMessage(RequestSplit.class, r -> call(() -> enumerator.handleSplitRequest(r.subtask())))
        .onMessage(AsyncDone.class, d -> call(() -> d.handler().accept(d.result(), d.failure())))
        .onMessage(TriggerCheckpoint.class, t -> call(() -> {
          Object state;
          try {
            state = enumerator.snapshotState(t.id());
          } catch (Exception e) {
            throw new IllegalStateException("snapshotting the enumerator failed: " + e, e);
          }
          master.tell(new JobMaster.EnumeratorSnapshot(attempt, vertexId, t.id(), state));
          for (int i : t.readers()) {
            sharding.entityRefFor(SubtaskEntity.KEY, SubtaskEntity.entityId(jobId, vertexId, i))
                .tell(new SubtaskEntity.TriggerCheckpoint(attempt, t.id()));
          }
        }))
        .onMessage(CheckpointComplete.class, c -> call(() ->
            enumerator.notifyCheckpointComplete(c.id())))
        .onSignal(PostStop.class, s -> {
          periodic.forEach(Cancellable::cancel);
          if (enumerator != null) {
            try {
              enumerator.close();
            } catch (Exception e) {
              getContext().getLog().warn("closing the enumerator of {} failed", operator, e);
            }
          }
          return this;
        })
        .build();
  }

  /** Calls the enumerator unless it failed; a failure fails the job. */
  private Behavior<Command> call(Runnable call) {
    if (!failed && enumerator != null) {
      try {
        call.run();
      } catch (RuntimeException e) {
        fail(e);
      }
    }
    return this;
  }

  private void fail(Exception e) {
    failed = true;
    master.tell(new JobMaster.SourceFailed(attempt, operator, "split enumerator: " + e));
  }

  private final class Context implements SplitEnumeratorContext<SourceSplit> {
    @Override
    public int currentParallelism() {
      return parallelism;
    }

    @Override
    public Set<Integer> registeredReaders() {
      return Set.copyOf(readers);
    }

    @Override
    public void assignSplits(Map<Integer, List<SourceSplit>> assignment) {
      for (Integer subtask : assignment.keySet()) {
        if (!readers.contains(subtask)) {
          throw new IllegalArgumentException("splits assigned to subtask " + subtask
              + ", which has no registered reader (registered: " + readers + ")");
        }
      }
      assignment.forEach((subtask, splits) -> subtask(subtask)
          .tell(new SubtaskEntity.AddSplits(attempt, List.copyOf(splits))));
    }

    @Override
    public void signalNoMoreSplits(int subtaskId) {
      subtask(subtaskId).tell(new SubtaskEntity.NoMoreSplits(attempt));
    }

    private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<SubtaskEntity.Command>
        subtask(int subtask) {
      return sharding.entityRefFor(SubtaskEntity.KEY,
          SubtaskEntity.entityId(jobId, vertexId, subtask));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
      CompletableFuture.supplyAsync(() -> {
        try {
          return callable.call();
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }, executor).whenComplete((result, failure) -> self.tell(new AsyncDone(
          (BiConsumer<Object, Throwable>) handler, result,
          failure instanceof java.util.concurrent.CompletionException ce ? ce.getCause()
              : failure)));
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler,
        long initialDelayMillis, long periodMillis) {
      periodic.add(getContext().getSystem().scheduler().scheduleWithFixedDelay(
          Duration.ofMillis(initialDelayMillis), Duration.ofMillis(periodMillis),
          () -> callAsync(callable, handler), getContext().getExecutionContext()));
    }
  }
}
