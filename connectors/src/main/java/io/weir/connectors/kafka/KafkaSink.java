package io.weir.connectors.kafka;

import io.weir.connectors.kafka.internal.KafkaSinkCommitter;
import io.weir.connectors.kafka.internal.KafkaSinkWriters;
import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a job's elements to Kafka, at least once or exactly once.
 *
 * <p>Exactly once works as Flink's Kafka sink does: each subtask writes into a Kafka transaction
 * of its own (transactional id {@code prefix-subtask-n}); on a checkpoint barrier it flushes and
 * hands the transaction over (transactional id, producer id, epoch) as the checkpoint's
 * committable, and writes on into a new one; when the checkpoint completes the committer commits
 * it, resuming it by producer id and epoch if the producer that opened it is gone (after a
 * restore). Before its first transaction a writer aborts every open transaction of its
 * {@code prefix-subtask-} left by an earlier attempt. See {@code docs/connectors-kafka.md} for
 * the guarantees and how {@code transaction.timeout.ms} bounds them.
 *
 * <pre>{@code
 * stream.sinkTo(KafkaSink.newBuilder(KafkaRecordSerializer.utf8Values())
 *     .bootstrapServers("localhost:9092").topic("orders-out")
 *     .exactlyOnce("weir-orders-out").build());
 * }</pre>
 *
 * @param settings where and how to write, never null
 * @param serializer turns elements into records, never null
 * @param <T> the element type
 */
public record KafkaSink<T>(KafkaSinkSettings settings, KafkaRecordSerializer<T> serializer)
    implements TwoPhaseCommitSink<T, KafkaCommittable> {

  /** Checks the arguments. */
  public KafkaSink {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(serializer, "serializer");
  }

  /**
   * A builder with the defaults: at least once, a 15-minute transaction timeout.
   *
   * @param serializer turns elements into records, never null
   * @param <T> the element type
   */
  public static <T> Builder<T> newBuilder(KafkaRecordSerializer<T> serializer) {
    return new Builder<>(serializer);
  }

  @Override
  public PrecommittingSinkWriter<T, KafkaCommittable> createWriter(SinkContext context) {
    return KafkaSinkWriters.create(settings, serializer, context);
  }

  @Override
  public Committer<KafkaCommittable> createCommitter(SinkContext context) {
    return new KafkaSinkCommitter(settings, context.subtaskIndex());
  }

  @Override
  public Class<KafkaCommittable> committableType() {
    return KafkaCommittable.class;
  }

  /** Builds a {@link KafkaSink}. Not thread-safe; each setter returns this builder. */
  public static final class Builder<T> {
    private final KafkaRecordSerializer<T> serializer;
    private String bootstrapServers;
    private String topic;
    private DeliveryGuarantee delivery = DeliveryGuarantee.AT_LEAST_ONCE;
    private String transactionalIdPrefix;
    private Duration transactionTimeout = Duration.ofMinutes(15);
    private final Map<String, String> properties = new HashMap<>();

    private Builder(KafkaRecordSerializer<T> serializer) {
      this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /** The brokers to bootstrap from, {@code host:port,...}. Required. */
    public Builder<T> bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** The topic records go to unless the serializer names another per record. */
    public Builder<T> topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** At least once: flush on every checkpoint barrier. The default. */
    public Builder<T> atLeastOnce() {
      this.delivery = DeliveryGuarantee.AT_LEAST_ONCE;
      return this;
    }

    /**
     * Exactly once with Kafka transactions committed as checkpoints complete. The job needs
     * checkpoints; without them everything commits at the end of the input.
     *
     * @param transactionalIdPrefix unique to this sink among everything that writes to the
     *     cluster: transactions of the prefix that a writer finds open are aborted
     */
    public Builder<T> exactlyOnce(String transactionalIdPrefix) {
      this.delivery = DeliveryGuarantee.EXACTLY_ONCE;
      this.transactionalIdPrefix = transactionalIdPrefix;
      return this;
    }

    /**
     * The producer's {@code transaction.timeout.ms}; 15 minutes by default (the broker's
     * {@code transaction.max.timeout.ms} by default). It must exceed the checkpoint interval
     * plus the longest restore.
     */
    public Builder<T> transactionTimeout(Duration timeout) {
      this.transactionTimeout = timeout;
      return this;
    }

    /** A Kafka producer property (security settings, batching, compression). */
    public Builder<T> property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /**
     * Builds the sink.
     *
     * @throws IllegalArgumentException when a required setting is missing
     */
    public KafkaSink<T> build() {
      return new KafkaSink<>(new KafkaSinkSettings(bootstrapServers, topic, delivery,
          transactionalIdPrefix, transactionTimeout, properties), serializer);
    }
  }
}
