package io.weir.stream.api;

import io.weir.api.CborSerializable;

/**
 * One completed checkpoint of a job, for its status.
 *
 * @param id the checkpoint's id, increasing from 1
 * @param startedAt epoch milliseconds when the job master triggered it
 * @param durationMillis from trigger to the last subtask's acknowledgement
 * @param bytes the size of its stored snapshots
 * @param alignmentMillis the longest time a subtask's barriers waited for alignment
 */
public record CheckpointStats(long id, long startedAt, long durationMillis, long bytes,
    long alignmentMillis) implements CborSerializable {}
