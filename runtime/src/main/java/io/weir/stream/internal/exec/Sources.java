package io.weir.stream.internal.exec;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.Log;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.GeneratorFunction;
import io.weir.stream.internal.JobVertex;
import io.weir.stream.internal.OperatorKind;
import io.weir.stream.internal.PlannedJob;
import io.weir.stream.internal.SourceSpec;
import io.weir.stream.internal.StreamNode;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The Pekko Streams sources of Weir's built-in source operators, per subtask, emitting
 * {@link StreamElement.Batch}es on channel -1. A bounded source completes at its end; an
 * unbounded one never does.
 */
public final class Sources {
  private Sources() {}

  /**
   * The source of one subtask of a source vertex: what its head operator reads.
   *
   * @param job the planned job
   * @param vertexId a vertex whose head is a source
   * @param subtask the subtask's index
   * @param log the log, for log sources
   * @param batchSize the most records per batch
   * @param eventTime how often watermarks are generated, and the clock idleness is measured by
   * @param position where to resume, from a checkpoint; null to start from the beginning
   * @return the subtask's input
   */
  public static Source<StreamElement, NotUsed> forVertex(PlannedJob job, String vertexId,
      int subtask, Log log, int batchSize, EventTime eventTime,
      SubtaskSnapshot.SourcePosition position) {
    JobVertex vertex = job.jobGraph().vertex(vertexId);
    StreamNode head = job.streamGraph().node(vertex.head().nodeId());
    if (head.kind() != OperatorKind.SOURCE) {
      throw new IllegalArgumentException("vertex " + vertexId + " does not start with a source");
    }
    return create((SourceSpec) head.operator(), head.name(), subtask, vertex.parallelism(), log,
        batchSize, eventTime, position == null
            ? new SubtaskSnapshot.SourcePosition(java.util.Map.of(), 0) : position);
  }

  /**
   * The periodic watermark interval and the processing-time clock.
   *
   * @param interval how often generators emit
   * @param clock epoch milliseconds
   */
  public record EventTime(Duration interval, LongSupplier clock) {}

  /**
   * A connector reader's batches with event time: timestamps assigned and watermarks generated
   * by the strategy, the reader as one split.
   *
   * @param reader the reader's batches
   * @param strategy the source's strategy; null leaves the batches as they are
   * @param eventTime the interval and clock
   * @param <M> the reader source's materialized value
   * @return the batches followed by watermarks and idleness
   */
  public static <M> Source<StreamElement, M> withEventTime(Source<StreamElement, M> reader,
      WatermarkStrategy<?> strategy, EventTime eventTime) {
    if (strategy == null) {
      return reader;
    }
    return reader.via(new WatermarkStage(strategy, v -> "reader", List.of("reader"),
        eventTime.interval(), eventTime.clock()));
  }

  /**
   * The connector of a vertex whose head is a connector source; null for any other vertex.
   *
   * @param job the planned job
   * @param vertexId the vertex
   * @return the connector and its strategy as this node's plan created them, or null
   */
  public static SourceSpec.Connector connectorOf(PlannedJob job, String vertexId) {
    StreamNode head = job.streamGraph().node(job.jobGraph().vertex(vertexId).head().nodeId());
    return head.kind() == OperatorKind.SOURCE && head.operator() instanceof SourceSpec.Connector c
        ? c : null;
  }

  static Source<StreamElement, NotUsed> create(SourceSpec spec, String name, int subtask,
      int parallelism, Log log, int batchSize, EventTime eventTime,
      SubtaskSnapshot.SourcePosition position) {
    long skip = position.consumed();
    if (spec instanceof SourceSpec.Elements e) {
      List<Object> rest = e.elements().subList((int) Math.min(skip, e.elements().size()),
          e.elements().size());
      return subtask == 0 ? elements(rest, batchSize) : Source.empty();
    } else if (spec instanceof SourceSpec.Generated g) {
      return generated(g.generator(), g.count(), name, subtask, parallelism, batchSize, skip);
    } else if (spec instanceof SourceSpec.Log l) {
      return log(log, l, subtask, parallelism, eventTime, position.logOffsets(), batchSize);
    }
    throw new UnsupportedOperationException("source connectors are not run yet: " + name);
  }

  private static Source<StreamElement, NotUsed> elements(List<Object> elements, int batchSize) {
    List<StreamElement> batches = new ArrayList<>();
    for (int i = 0; i < elements.size(); i += batchSize) {
      List<Object> part = elements.subList(i, Math.min(elements.size(), i + batchSize));
      batches.add(new StreamElement.Batch(-1, part, noTimestamps(part.size())));
    }
    return Source.from(batches);
  }

  /**
   * A bounded generator's subtask takes a contiguous part of the index range; an unbounded
   * one takes every {@code parallelism}-th index from its own.
   */
  @SuppressWarnings("unchecked")
  private static Source<StreamElement, NotUsed> generated(GeneratorFunction<?> generator,
      long count, String name, int subtask, int parallelism, int batchSize, long skip) {
    GeneratorFunction<Object> gen = (GeneratorFunction<Object>) generator;
    long first;
    long end;
    long step;
    if (count >= 0) {
      first = count * subtask / parallelism + skip;
      end = count * (subtask + 1) / parallelism;
      step = 1;
    } else {
      first = subtask + skip * parallelism;
      end = Long.MAX_VALUE;
      step = parallelism;
    }
    return Source.unfold(first, next -> {
      if (next >= end) {
        return Optional.empty();
      }
      List<Object> values = new ArrayList<>(batchSize);
      long index = next;
      try {
        while (index < end && values.size() < batchSize) {
          values.add(gen.map(index));
          index += step;
        }
      } catch (Exception e) {
        throw new OperatorException(name, e);
      }
      return Optional.of(Pair.create(index,
          new StreamElement.Batch(-1, values, noTimestamps(values.size()))));
    });
  }

  /**
   * Partition p of the topic is read by subtask p mod parallelism, from the spec's start. With a
   * watermark strategy, each partition has its own generator.
   */
  private static Source<StreamElement, NotUsed> log(Log log, SourceSpec.Log spec, int subtask,
      int parallelism, EventTime eventTime, java.util.Map<Integer, Long> offsets,
      int batchSize) {
    return Source.completionStage(log.describeTopic(spec.topic()))
        .flatMapConcat(topic -> {
          List<Source<List<ConsumerRecord>, NotUsed>> mine = new ArrayList<>();
          List<String> partitions = new ArrayList<>();
          for (int p = subtask; p < topic.partitions(); p += parallelism) {
            Long next = offsets.get(p);
            mine.add(log.batchSource(spec.topic(), p,
                next == null ? spec.start() : StartPosition.offset(next),
                IsolationLevel.READ_COMMITTED));
            partitions.add(String.valueOf(p));
          }
          if (mine.isEmpty()) {
            return Source.<StreamElement>never();
          }
          Source<List<ConsumerRecord>, NotUsed> merged = mine.get(0);
          for (int i = 1; i < mine.size(); i++) {
            merged = merged.merge(mine.get(i));
          }
          // A fetch may hold thousands of records: cut it, so a checkpoint's trigger waits for
          // at most one batch.
          Source<StreamElement, NotUsed> batches = merged.mapConcat(records -> {
            List<StreamElement> cut = new ArrayList<>();
            for (int i = 0; i < records.size(); i += batchSize) {
              cut.add(toBatch(records.subList(i, Math.min(records.size(), i + batchSize))));
            }
            return cut;
          });
          return spec.strategy() == null ? batches : batches.via(new WatermarkStage(
              spec.strategy(), v -> String.valueOf(((ConsumerRecord) v).partition()),
              partitions, eventTime.interval(), eventTime.clock()));
        });
  }

  /** The last "no timestamp" array made: batches are read-only, so one serves every batch. */
  private static volatile long[] noTimestamps = new long[0];

  private static long[] noTimestamps(int n) {
    long[] shared = noTimestamps;
    if (shared.length == n) {
      return shared;
    }
    long[] ts = new long[n];
    java.util.Arrays.fill(ts, StreamElement.NO_TIMESTAMP);
    noTimestamps = ts;
    return ts;
  }

  private static StreamElement toBatch(List<ConsumerRecord> records) {
    long[] ts = new long[records.size()];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = records.get(i).timestamp();
    }
    return new StreamElement.Batch(-1, List.<Object>copyOf(records), ts);
  }
}
