package io.weir.stream.internal;

import io.weir.stream.api.LogRecordRouter;
import io.weir.stream.api.LogRecordSerializer;
import io.weir.stream.api.sink.Sink;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.util.Objects;

/** Where a sink operator writes: the operator object of a {@link OperatorKind#SINK} node. */
public sealed interface SinkSpec {
  /** Standard output. */
  record Print() implements SinkSpec {}

  /**
   * A log topic.
   *
   * @param topic never null or blank
   * @param serializer turns elements into records; null only for the planner to report
   * @param transactionalIdPrefix for exactly-once delivery through log transactions committed
   *     with checkpoints; null for at-least-once
   */
  record Log(String topic, LogRecordSerializer<?> serializer, String transactionalIdPrefix)
      implements SinkSpec {
    /** Checks the topic. */
    public Log {
      Objects.requireNonNull(topic, "topic");
      if (topic.isBlank()) {
        throw new IllegalArgumentException("a log sink's topic must not be blank");
      }
    }
  }

  /**
   * Log topics picked per element.
   *
   * @param router makes each element's record; null only for the planner to report
   * @param transactionalIdPrefix for exactly-once delivery; null for at-least-once
   */
  record RoutedLog(LogRecordRouter<?> router, String transactionalIdPrefix)
      implements SinkSpec {}

  /**
   * A sink connector.
   *
   * @param sink may be null only for the planner to report
   */
  record Connector(Sink<?> sink) implements SinkSpec {}

  /**
   * The writers of a two-phase-commit sink with a global committer: on each barrier they send
   * their committables downstream, to the {@link GlobalCommitter}, instead of committing them.
   *
   * @param sink never null
   */
  record CommittableWriter(TwoPhaseCommitSink<?, ?> sink) implements SinkSpec {
    /** Checks the sink. */
    public CommittableWriter {
      Objects.requireNonNull(sink, "sink");
    }
  }

  /**
   * The single committer (parallelism 1) of a two-phase-commit sink with a global committer: it
   * collects the writers' committables, keeps them in its checkpoints and commits them.
   *
   * @param sink never null
   */
  record GlobalCommitter(TwoPhaseCommitSink<?, ?> sink) implements SinkSpec {
    /** Checks the sink. */
    public GlobalCommitter {
      Objects.requireNonNull(sink, "sink");
    }
  }
}
