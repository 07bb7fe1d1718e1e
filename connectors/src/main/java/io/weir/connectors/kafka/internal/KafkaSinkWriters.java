package io.weir.connectors.kafka.internal;

import io.weir.connectors.kafka.DeliveryGuarantee;
import io.weir.connectors.kafka.KafkaCommittable;
import io.weir.connectors.kafka.KafkaRecordSerializer;
import io.weir.connectors.kafka.KafkaSinkSettings;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** The writers of a {@link io.weir.connectors.kafka.KafkaSink}, one per delivery guarantee. */
public final class KafkaSinkWriters {
  private KafkaSinkWriters() {}

  /**
   * The writer of one subtask.
   *
   * @param settings where and how to write
   * @param serializer elements to records
   * @param context the subtask
   * @param <T> the element type
   * @return the writer, never null
   */
  public static <T> PrecommittingSinkWriter<T, KafkaCommittable> create(
      KafkaSinkSettings settings, KafkaRecordSerializer<T> serializer, SinkContext context) {
    return settings.delivery() == DeliveryGuarantee.EXACTLY_ONCE
        ? new Transactional<>(settings, serializer,
            subtaskPrefix(settings, context.subtaskIndex()))
        : new AtLeastOnce<>(settings, serializer);
  }

  /** The transactional ids of a subtask: this prefix followed by a number. */
  static String subtaskPrefix(KafkaSinkSettings settings, int subtask) {
    return settings.transactionalIdPrefix() + "-" + subtask + "-";
  }

  /** Sends, remembering the first failure of an asynchronous send. */
  private abstract static class Base<T> implements PrecommittingSinkWriter<T, KafkaCommittable> {
    final KafkaSinkSettings settings;
    private final KafkaRecordSerializer<T> serializer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Callback callback = (metadata, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      }
    };

    Base(KafkaSinkSettings settings, KafkaRecordSerializer<T> serializer) {
      this.settings = settings;
      this.serializer = serializer;
    }

    void send(Producer<byte[], byte[]> producer, T element, Long timestamp) throws Exception {
      checkFailure();
      ProducerRecord<byte[], byte[]> record = serializer.serialize(element, settings.topic(),
          timestamp);
      if (record == null) {
        throw new IllegalArgumentException("the Kafka sink's serializer returned null for "
            + element);
      }
      producer.send(record, callback);
    }

    void checkFailure() throws IOException {
      Exception e = failure.get();
      if (e != null) {
        throw new IOException("writing to Kafka at " + settings.bootstrapServers()
            + " failed: " + e, e);
      }
    }
  }

  /** Flushes on every barrier; a restore may write again what came after the checkpoint. */
  private static final class AtLeastOnce<T> extends Base<T> {
    private final KafkaProducer<byte[], byte[]> producer;

    AtLeastOnce(KafkaSinkSettings settings, KafkaRecordSerializer<T> serializer) {
      super(settings, serializer);
      this.producer = new KafkaProducer<>(TransactionalProducers.config(settings, null));
    }

    @Override
    public void write(T element, Long timestamp) throws Exception {
      send(producer, element, timestamp);
    }

    @Override
    public void flush(boolean endOfInput) throws Exception {
      producer.flush();
      checkFailure();
    }

    @Override
    public Collection<KafkaCommittable> precommit(long checkpointId) {
      return List.of();
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Writes into a transaction opened at the first element after a barrier; on the barrier
   * flushes and hands it over. Before its first transaction it aborts what earlier attempts of
   * its subtask left open (the restore has committed what a completed checkpoint needed by
   * then: it runs before any element).
   */
  private static final class Transactional<T> extends Base<T> {
    private final String subtaskPrefix;
    private TransactionalProducers.Entry open;
    private boolean cleaned;

    Transactional(KafkaSinkSettings settings, KafkaRecordSerializer<T> serializer,
        String subtaskPrefix) {
      super(settings, serializer);
      this.subtaskPrefix = subtaskPrefix;
    }

    @Override
    public void write(T element, Long timestamp) throws Exception {
      if (open == null) {
        if (!cleaned) {
          TransactionalProducers.abortLingering(settings, subtaskPrefix);
          cleaned = true;
        }
        open = TransactionalProducers.acquire(settings, subtaskPrefix);
        try {
          open.producer.beginTransaction();
          long[] id = ProducerInternals.producerIdAndEpoch(open.producer);
          open.producerId = id[0];
          open.epoch = (short) id[1];
        } catch (RuntimeException e) {
          TransactionalProducers.discard(open);
          open = null;
          throw e;
        }
      }
      send(open.producer, element, timestamp);
    }

    @Override
    public void flush(boolean endOfInput) throws Exception {
      if (open != null) {
        open.producer.flush();
      }
      checkFailure();
    }

    @Override
    public Collection<KafkaCommittable> precommit(long checkpointId) throws Exception {
      if (open == null) {
        return List.of(); // nothing written since the last barrier: no transaction
      }
      open.producer.flush();
      checkFailure();
      // The epoch after the sends: the producer id and epoch the transaction commits with.
      long[] id = ProducerInternals.producerIdAndEpoch(open.producer);
      KafkaCommittable committable = new KafkaCommittable(open.transactionalId, id[0],
          (short) id[1]);
      open.producerId = id[0];
      open.epoch = (short) id[1];
      open.state = TransactionalProducers.State.PRECOMMITTED;
      open = null;
      return List.of(committable);
    }

    @Override
    public void close() {
      if (open != null) {
        try {
          open.producer.abortTransaction();
          open.state = TransactionalProducers.State.IDLE;
        } catch (RuntimeException e) {
          TransactionalProducers.discard(open);
        }
        open = null;
      }
      TransactionalProducers.closeIdle(subtaskPrefix);
    }
  }
}
