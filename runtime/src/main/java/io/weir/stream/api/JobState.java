package io.weir.stream.api;

/** Where a job is in its life. The last three are terminal: the job never runs again. */
public enum JobState {
  /** Submitted; its subtasks are being deployed. */
  CREATED,
  /** Every subtask runs. */
  RUNNING,
  /** A subtask failed; the others are being stopped. */
  FAILING,
  /** Failed and stopped; it restarts from its last checkpoint after the restart delay. */
  RESTARTING,
  /** Cancel was asked; the subtasks are being stopped. */
  CANCELING,
  /** Failed: {@link JobStatus#failure()} says why and {@link JobStatus#failedOperator()} where. */
  FAILED,
  /** Canceled. */
  CANCELED,
  /** Every input ended and every sink made its writes durable. */
  FINISHED;

  /** Whether the job has ended for good. */
  public boolean isTerminal() {
    return this == FAILED || this == CANCELED || this == FINISHED;
  }
}
