package io.weir.stream.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs streaming jobs: submit, list, status, cancel. A job is its {@link JobDefinition}'s class
 * name and arguments; its job master persists them, deploys one subtask per vertex and
 * parallelism, and deploys the job again when the node restarts, so a submitted job survives
 * restarts until it finishes, fails or is canceled.
 *
 * <p>Obtain it with {@code Weir.get(system).jobs()}. Thread-safe.
 */
public interface Jobs {
  /**
   * Submits a job. It is planned here first, so an invalid job (a cycle, a missing sink, a bad
   * parallelism, a class that cannot be created) fails the returned stage with an
   * {@link InvalidJobException} listing every problem, and nothing is persisted.
   *
   * @param definitionClass a {@link JobDefinition} on this node's class path
   * @param args its arguments, never null
   * @return the job's status just after submit, in state {@link JobState#CREATED}
   */
  default CompletionStage<JobStatus> submit(String definitionClass, List<String> args) {
    return submit(definitionClass, args, SubmitOptions.NONE);
  }

  /**
   * Submits a job, from a savepoint and with another parallelism if the options say so. The
   * savepoint's keyed state is redistributed by key group, so the parallelism may differ from
   * the one it was taken at.
   *
   * @param definitionClass a {@link JobDefinition} on this node's class path
   * @param args its arguments, never null
   * @param options the savepoint and parallelism, never null
   * @return the job's status just after submit
   */
  CompletionStage<JobStatus> submit(String definitionClass, List<String> args,
      SubmitOptions options);

  /**
   * Takes a savepoint of a running job: a checkpoint kept apart from the job, under an id a new
   * job can be submitted from. With {@code stop}, the job is canceled once it is taken.
   *
   * @param jobId the job's id
   * @param stop whether to cancel the job after the savepoint
   * @return the savepoint's id; fails when the job is not running or a checkpoint is in progress
   */
  CompletionStage<String> savepoint(String jobId, boolean stop);

  /**
   * Keeps one of a job's retained checkpoints (see {@code CheckpointConfig.retained}) as a
   * savepoint, to go back to it: a new job submitted from the savepoint starts from that
   * checkpoint. The job may be in any state, ended too; nothing is taken from it anew.
   *
   * @param jobId the job's id
   * @param checkpointId the id of a checkpoint the job retains (its status lists them)
   * @return the savepoint's id; fails, naming the retained ones, when that one is not retained
   */
  CompletionStage<String> savepointOf(String jobId, long checkpointId);

  /**
   * Submits a job by its definition class; see {@link #submit(String, List)}.
   *
   * @param definition the definition class
   * @param args its arguments, never null
   * @return the job's status just after submit
   */
  default CompletionStage<JobStatus> submit(Class<? extends JobDefinition> definition,
      List<String> args) {
    return submit(definition.getName(), args);
  }

  /** Every job ever submitted here, in order of submission. */
  CompletionStage<List<JobStatus>> list();

  /**
   * One job's status.
   *
   * @param jobId the job's id
   * @return its status; fails with {@link UnknownJobException} when there is no such job
   */
  CompletionStage<JobStatus> status(String jobId);

  /**
   * Cancels a job: its subtasks stop, and the job ends {@link JobState#CANCELED}. Canceling a
   * terminal job changes nothing.
   *
   * @param jobId the job's id
   * @return the status once the cancel was recorded (state CANCELING or terminal)
   */
  CompletionStage<JobStatus> cancel(String jobId);

  /**
   * Waits until a job is terminal.
   *
   * @param jobId the job's id
   * @param timeout how long to wait at most
   * @return the terminal status; fails with a {@link java.util.concurrent.TimeoutException}
   *     after {@code timeout}
   */
  CompletionStage<JobStatus> awaitTermination(String jobId, Duration timeout);
}
