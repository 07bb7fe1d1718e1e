package io.weir.connectors.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.connectors.kafka.DeliveryGuarantee;
import io.weir.connectors.kafka.KafkaBroker;
import io.weir.connectors.kafka.KafkaCommittable;
import io.weir.connectors.kafka.KafkaRecordSerializer;
import io.weir.connectors.kafka.KafkaSinkSettings;
import io.weir.connectors.kafka.KafkaTopics;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A committer that no longer has the producer of a pre-committed transaction (a restore on
 * another node, or after the JVM restarted) commits it by resuming it from the committable, and
 * a repeated commit is a no-op.
 */
class KafkaSinkCommitterTest {
  private static KafkaBroker broker;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start();
    broker.createTopic("resumed", 1);
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private static final SinkContext SUBTASK_0 = new SinkContext() {
    @Override
    public String jobName() {
      return "committer-test";
    }

    @Override
    public int subtaskIndex() {
      return 0;
    }

    @Override
    public int parallelism() {
      return 1;
    }
  };

  /** Pre-commits the values in a transaction, then drops its producer as a crash would. */
  private static KafkaCommittable staged(KafkaSinkSettings settings, String... values)
      throws Exception {
    PrecommittingSinkWriter<String, KafkaCommittable> writer = KafkaSinkWriters.create(settings,
        KafkaRecordSerializer.utf8Values(), SUBTASK_0);
    for (String v : values) {
      writer.write(v, null);
    }
    writer.flush(false);
    KafkaCommittable c = writer.precommit(1).iterator().next();
    TransactionalProducers.discard(TransactionalProducers.live(c.transactionalId()));
    return c;
  }

  @Test
  void aTransactionWhoseProducerIsGoneIsResumedAndCommittedOnce() throws Exception {
    KafkaSinkSettings settings = new KafkaSinkSettings(broker.bootstrapServers(), "resumed",
        DeliveryGuarantee.EXACTLY_ONCE, "resume", Duration.ofMinutes(2), Map.of());
    KafkaCommittable first = staged(settings, "a", "b", "c");
    assertEquals(List.of(), KafkaTopics.values(broker.bootstrapServers(), "resumed",
        "read_committed", 0), "nothing shows before the commit");

    KafkaSinkCommitter committer = new KafkaSinkCommitter(settings, 0);
    committer.commit(1, List.of(first));
    committer.commit(1, List.of(first)); // again, as after a restore: a no-op
    assertEquals(List.of("a", "b", "c"), KafkaTopics.values(broker.bootstrapServers(),
        "resumed", "read_committed", 3));

    // An aborted one never shows, and does not hold back what comes after it.
    KafkaCommittable second = staged(settings, "x");
    committer.abort(2, List.of(second));
    KafkaCommittable third = staged(settings, "d");
    committer.commit(3, List.of(third));
    assertEquals(List.of("a", "b", "c", "d"), KafkaTopics.values(broker.bootstrapServers(),
        "resumed", "read_committed", 4));
  }
}
