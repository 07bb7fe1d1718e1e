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
  CompletionStage<JobStatus> submit(String definitionClass, List<String> args);

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
