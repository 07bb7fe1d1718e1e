package io.weir.stream.internal;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.GeneratorFunction;
import io.weir.stream.api.source.Source;
import java.util.List;
import java.util.Objects;

/** What a source operator reads: the operator object of a {@link OperatorKind#SOURCE} node. */
public sealed interface SourceSpec {
  /**
   * Fixed elements, read by one subtask.
   *
   * @param elements never null, none null
   */
  record Elements(List<Object> elements) implements SourceSpec {
    /** Copies the elements, rejecting nulls. */
    public Elements {
      elements = List.copyOf(elements);
    }
  }

  /**
   * Generated elements.
   *
   * @param generator never null
   * @param count how many; -1 for unbounded
   */
  record Generated(GeneratorFunction<?> generator, long count) implements SourceSpec {
    /** Checks the count. */
    public Generated {
      if (count < -1) {
        throw new IllegalArgumentException("a generator's count must be >= 0, was " + count);
      }
    }
  }

  /**
   * Every partition of a log topic; only the descriptor, reading comes with execution.
   *
   * @param topic never null or blank
   * @param start where a fresh start reads from, never null
   * @param strategy event time per partition; null for none
   */
  record Log(String topic, StartPosition start, WatermarkStrategy<ConsumerRecord> strategy)
      implements SourceSpec {
    /** Checks the topic and position. */
    public Log {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(start, "start");
      if (topic.isBlank()) {
        throw new IllegalArgumentException("a log source's topic must not be blank");
      }
    }
  }

  /**
   * A source connector.
   *
   * @param source may be null only for the planner to report
   * @param strategy event time per reader; null for none
   */
  record Connector(Source<?, ?, ?> source, WatermarkStrategy<?> strategy)
      implements SourceSpec {}
}
