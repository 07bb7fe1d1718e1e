package io.weir.stream.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
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

  /**
   * Where the function's metrics go: the node's Micrometer registry ({@code Weir.metrics()}),
   * or Micrometer's global registry outside a node.
   */
  default MeterRegistry metrics() {
    return Metrics.globalRegistry;
  }

  /**
   * A counter of this subtask, tagged {@code job}, {@code operator} and {@code subtask}.
   *
   * @param name the meter's name, such as {@code weir.window.late.records.dropped}
   * @param description what it counts
   * @return the counter; the same for the same name and subtask
   */
  default Counter counter(String name, String description) {
    return Counter.builder(name).description(description)
        .tags(Tags.of("job", jobName(), "operator", operatorName(), "subtask",
            String.valueOf(subtaskIndex())))
        .register(metrics());
  }
}
