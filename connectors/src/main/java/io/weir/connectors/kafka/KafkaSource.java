package io.weir.connectors.kafka;

import io.weir.connectors.kafka.internal.KafkaSourceEnumerator;
import io.weir.connectors.kafka.internal.KafkaSourceReader;
import io.weir.stream.api.source.Boundedness;
import io.weir.stream.api.source.Source;
import io.weir.stream.api.source.SourceReader;
import io.weir.stream.api.source.SourceReaderContext;
import io.weir.stream.api.source.SplitEnumerator;
import io.weir.stream.api.source.SplitEnumeratorContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads Kafka topics into a job: one split per topic-partition, discovered by the enumerator
 * (topics by name or by pattern, and periodically new partitions), each read in offset order by
 * one subtask. The offset of every partition travels in the job's checkpoints, so a restored job
 * resumes exactly where the checkpoint was, with no record lost or repeated downstream of an
 * exactly-once sink. When a checkpoint completes, its offsets are also committed to the consumer
 * group, if one is set, for monitoring; the source itself never reads them back except for
 * {@link StartingOffsets#committed()}. Each element's event time is its record's timestamp.
 *
 * <pre>{@code
 * job.fromSource(KafkaSource.newBuilder(KafkaRecordDeserializer.utf8Values())
 *         .bootstrapServers("localhost:9092").topics(List.of("orders"))
 *         .groupId("weir-orders").startingOffsets(StartingOffsets.earliest())
 *         .build(), "Kafka orders")
 * }</pre>
 *
 * @param settings what to read, never null
 * @param deserializer turns records into elements, never null
 * @param <T> the element type
 */
public record KafkaSource<T>(KafkaSourceSettings settings, KafkaRecordDeserializer<T> deserializer)
    implements Source<T, KafkaPartitionSplit, KafkaEnumeratorState> {

  /** Checks the arguments. */
  public KafkaSource {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(deserializer, "deserializer");
  }

  /**
   * A builder with the defaults: earliest offsets, unbounded, partition discovery every 30 s,
   * {@code isolation.level=read_committed}.
   *
   * @param deserializer turns records into elements, never null
   * @param <T> the element type
   */
  public static <T> Builder<T> newBuilder(KafkaRecordDeserializer<T> deserializer) {
    return new Builder<>(deserializer);
  }

  /** BOUNDED when built with {@link Builder#bounded()}, else CONTINUOUS_UNBOUNDED. */
  @Override
  public Boundedness boundedness() {
    return settings.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SplitEnumerator<KafkaPartitionSplit, KafkaEnumeratorState> createEnumerator(
      SplitEnumeratorContext<KafkaPartitionSplit> context) {
    return new KafkaSourceEnumerator(settings, context,
        new KafkaEnumeratorState(List.of(), List.of(), false));
  }

  @Override
  public SplitEnumerator<KafkaPartitionSplit, KafkaEnumeratorState> restoreEnumerator(
      SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaEnumeratorState checkpoint) {
    return new KafkaSourceEnumerator(settings, context, checkpoint);
  }

  @Override
  public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) {
    return new KafkaSourceReader<>(settings, deserializer, context);
  }

  @Override
  public Class<KafkaEnumeratorState> checkpointType() {
    return KafkaEnumeratorState.class;
  }

  @Override
  public Class<KafkaPartitionSplit> splitType() {
    return KafkaPartitionSplit.class;
  }

  /** Builds a {@link KafkaSource}. Not thread-safe; each setter returns this builder. */
  public static final class Builder<T> {
    private final KafkaRecordDeserializer<T> deserializer;
    private String bootstrapServers;
    private List<String> topics = List.of();
    private String topicPattern;
    private String groupId;
    private StartingOffsets startingOffsets = StartingOffsets.earliest();
    private boolean bounded;
    private Duration discoveryInterval = Duration.ofSeconds(30);
    private final Map<String, String> properties = new HashMap<>();
    private String deadLetterTopic;

    private Builder(KafkaRecordDeserializer<T> deserializer) {
      this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    }

    /** The brokers to bootstrap from, {@code host:port,...}. Required. */
    public Builder<T> bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** The topics to read, by name; they must exist. Either this or a topic pattern. */
    public Builder<T> topics(List<String> topics) {
      this.topics = List.copyOf(topics);
      return this;
    }

    /**
     * Reads every topic whose whole name matches a regular expression, including topics created
     * later (found by the periodic discovery). Either this or topics by name.
     */
    public Builder<T> topicPattern(String regex) {
      this.topicPattern = regex;
      return this;
    }

    /** The consumer group offsets are committed to when checkpoints complete; none by default. */
    public Builder<T> groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    /** Where partitions without a checkpointed position start; earliest by default. */
    public Builder<T> startingOffsets(StartingOffsets startingOffsets) {
      this.startingOffsets = startingOffsets;
      return this;
    }

    /**
     * Stops at the partitions' ends as of the start of the job (their last stable offsets under
     * {@code read_committed}): the job finishes once everything written before it started is read.
     */
    public Builder<T> bounded() {
      this.bounded = true;
      return this;
    }

    /** How often to look for new partitions and topics; 30 s by default, zero for never. */
    public Builder<T> partitionDiscoveryInterval(Duration interval) {
      this.discoveryInterval = interval;
      return this;
    }

    /** A Kafka consumer property (security settings, fetch sizes, isolation level). */
    public Builder<T> property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /**
     * Sends records that fail to deserialize to this topic, unchanged, with headers
     * {@code weir.error}, {@code weir.topic}, {@code weir.partition} and {@code weir.offset},
     * instead of failing the job. The topic must exist; a send blocks the reader until Kafka
     * acknowledges it.
     */
    public Builder<T> deadLetterTopic(String topic) {
      this.deadLetterTopic = topic;
      return this;
    }

    /**
     * Builds the source.
     *
     * @throws IllegalArgumentException when a required setting is missing or settings conflict
     */
    public KafkaSource<T> build() {
      return new KafkaSource<>(new KafkaSourceSettings(bootstrapServers, topics, topicPattern,
          groupId, startingOffsets, bounded, discoveryInterval, properties, deadLetterTopic),
          deserializer);
    }
  }
}
