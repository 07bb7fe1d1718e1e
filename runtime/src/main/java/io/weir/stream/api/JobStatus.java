package io.weir.stream.api;

import io.weir.api.CborSerializable;
import java.util.List;
import java.util.Objects;

/**
 * A job's status, as its job master knows it.
 *
 * @param jobId the job's id, never null
 * @param definition the class name of its {@link JobDefinition}, never null
 * @param args the arguments it was submitted with, never null
 * @param state where it is, never null
 * @param attempt how many times it was deployed: 1 after submit, one more after every restart
 *     (of the node, or by a restart strategy)
 * @param submittedAt epoch milliseconds
 * @param endedAt epoch milliseconds when it reached a terminal state; 0 before
 * @param failedOperator the name of the operator whose failure failed the job; null when none
 * @param failure the last failure, the exception as text; null when none
 * @param restarts how many times the job was restarted after a failure
 * @param checkpoints the latest completed checkpoints (up to 10), oldest first
 */
public record JobStatus(String jobId, String definition, List<String> args, JobState state,
    int attempt, long submittedAt, long endedAt, String failedOperator, String failure,
    int restarts, List<CheckpointStats> checkpoints) implements CborSerializable {
  /** Checks and copies. */
  public JobStatus {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(state, "state");
    args = List.copyOf(args);
    checkpoints = List.copyOf(checkpoints);
  }

  /** One line for humans: id, state, definition, and the failure if any. */
  public String summary() {
    String line = jobId + "  " + state + "  " + definition
        + (args.isEmpty() ? "" : " " + String.join(" ", args));
    return failure == null ? line : line + "\n  failed"
        + (failedOperator == null ? "" : " in operator '" + failedOperator + "'") + ": " + failure;
  }
}
