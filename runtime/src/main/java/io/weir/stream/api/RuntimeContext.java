package io.weir.stream.api;

import io.weir.stream.api.state.State;
import io.weir.stream.api.state.StateDescriptor;

/**
 * What a function knows about the subtask running it, and its keyed state. Use from the
 * subtask's thread only.
 */
public interface RuntimeContext {
  /** The job's name (its definition's class name), never null. */
  String jobName();

  /** The operator's name, never null. */
  String operatorName();

  /** This subtask's index, from 0 to {@link #parallelism()} - 1. */
  int subtaskIndex();

  /** How many subtasks the operator has. */
  int parallelism();

  /** The job's number of key groups. */
  int maxParallelism();

  /**
   * The keyed state described, scoped to the current key: every access reads or writes the value
   * of the key of the element (or timer) being processed. Call from {@code open}.
   *
   * @param descriptor names the state and its type, never null; the same name twice gives the
   *     same state
   * @param <S> the kind of state
   * @return the state, never null
   * @throws UnsupportedOperationException when the operator is not keyed
   * @throws IllegalStateException when the name was registered with another kind or type
   */
  <S extends State> S getState(StateDescriptor<S> descriptor);
}
