package io.weir.multijvm;

import io.weir.log.api.CommittableRecord;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.Log;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.TopicPartition;
import io.weir.log.api.TransactionalProducer;
import io.weir.node.WeirNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A consume-transform-produce loop with exactly-once: reads {@code input} through a consumer
 * group, writes each value upper-cased to {@code output}, and commits each small batch's output
 * together with the group's offsets in one transaction. Prints {@code COMMITTED p:o,...} (the
 * group's next offsets) after every transaction, so a test can kill it anywhere.
 */
public final class TransformWorker {
  private TransformWorker() {}

  /** The transformation, which the test's model applies too. */
  public static String transform(String value) {
    return value.toUpperCase(Locale.ROOT) + "-done";
  }

  /** Argument: the data directory. */
  public static void main(String[] args) throws Exception {
    WeirNode node = WeirNode.start(Path.of(args[0]));
    Log log = node.weir().log();
    // A new epoch for "transformer": whatever a killed predecessor left open is aborted.
    TransactionalProducer producer = log.newTransactionalProducer("transformer",
        Duration.ofMinutes(1), ProducerSettings.defaults());
    ConsumerGroupSettings group = ConsumerGroupSettings.of("transformer-group", "input")
        .withSessionTimeout(Duration.ofSeconds(3)).withHeartbeatInterval(Duration.ofMillis(500))
        .withIsolation(IsolationLevel.READ_COMMITTED);
    log.committableSource(group)
        .groupedWithin(20, Duration.ofMillis(50))
        .runForeach(batch -> process(producer, batch), node.system());
    System.out.println("READY");
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void process(TransactionalProducer producer, List<CommittableRecord> batch) {
    producer.beginTransaction();
    Map<TopicPartition, Long> next = new TreeMap<>(
        (a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
            : a.topic().compareTo(b.topic()));
    for (CommittableRecord r : batch) {
      producer.send(ProducerRecord.of("output", r.record().keyString(),
          transform(r.record().valueString())));
      next.merge(new TopicPartition(r.record().topic(), r.record().partition()),
          r.record().offset() + 1, Math::max);
    }
    // Checked by the group: refused if this member no longer owns a partition.
    producer.sendOffsetsToTransaction(
        batch.stream().map(CommittableRecord::committableOffset).toList());
    producer.commitTransaction();
    StringBuilder line = new StringBuilder("COMMITTED");
    next.forEach((tp, o) -> line.append(' ').append(tp.partition()).append(':').append(o));
    System.out.println(line);
  }
}
