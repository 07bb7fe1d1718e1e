package io.weir.connectors.kafka.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The two things the exactly-once sink needs from a producer that kafka-clients does not offer
 * publicly: the producer id and epoch of its open transaction, and resuming a transaction of
 * another (gone) producer by them so it can be committed, as Flink's
 * {@code FlinkKafkaInternalProducer} does. Both reach into the producer's
 * {@code TransactionManager} by reflection (allowed on the class path: kafka-clients is not a
 * named module). Kafka's own way, KIP-939's {@code initTransactions(keepPreparedTxn)}, is not
 * public in kafka-clients 4.4.0 and its InitProducerId version 6 is still marked unstable.
 * Checked against kafka-clients 4.4.0; another version that moved these internals fails here
 * with a message that says so.
 */
final class ProducerInternals {
  private ProducerInternals() {}

  /** The producer id and epoch of a transactional producer, {@code [id, epoch]}. */
  static long[] producerIdAndEpoch(KafkaProducer<?, ?> producer) {
    try {
      Object pe = field(transactionManager(producer), "producerIdAndEpoch");
      return new long[] {pe.getClass().getField("producerId").getLong(pe),
          pe.getClass().getField("epoch").getShort(pe)};
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported(e);
    }
  }

  /**
   * Puts a new producer (created with the transaction's transactional id, without
   * {@code initTransactions}) into the transaction of {@code producerId} and {@code epoch}, so
   * that {@code commitTransaction} commits it.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void resume(KafkaProducer<?, ?> producer, long producerId, short epoch) {
    try {
      Object tm = transactionManager(producer);
      Class<? extends Enum> states = (Class<? extends Enum>) Class.forName(
          "org.apache.kafka.clients.producer.internals.TransactionManager$State");
      Method transitionTo = tm.getClass().getDeclaredMethod("transitionTo", states);
      transitionTo.setAccessible(true);
      Class<?> idAndEpoch = Class.forName(
          "org.apache.kafka.common.utils.internals.ProducerIdAndEpoch");
      synchronized (tm) {
        transitionTo.invoke(tm, Enum.valueOf(states, "INITIALIZING"));
        Object partitions = field(tm, "txnPartitionMap");
        Method reset = partitions.getClass().getDeclaredMethod("reset");
        reset.setAccessible(true);
        reset.invoke(partitions);
        setField(tm, "producerIdAndEpoch", idAndEpoch.getConstructor(long.class, short.class)
            .newInstance(producerId, epoch));
        transitionTo.invoke(tm, Enum.valueOf(states, "READY"));
        transitionTo.invoke(tm, Enum.valueOf(states, "IN_TRANSACTION"));
        setField(tm, "transactionStarted", true);
      }
      // The broker runs transactions of version 2 (KIP-890), as the producer that opened it did.
      tm.getClass().getMethod("maybeUpdateTransactionV2Enabled", boolean.class).invoke(tm, true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw unsupported(e);
    }
  }

  private static Object transactionManager(KafkaProducer<?, ?> producer)
      throws ReflectiveOperationException {
    Field f = KafkaProducer.class.getDeclaredField("transactionManager");
    f.setAccessible(true);
    Object tm = f.get(producer);
    if (tm == null) {
      throw new IllegalStateException("the producer is not transactional");
    }
    return tm;
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    Field f = target.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }

  private static void setField(Object target, String name, Object value)
      throws ReflectiveOperationException {
    Field f = target.getClass().getDeclaredField(name);
    f.setAccessible(true);
    f.set(target, value);
  }

  private static IllegalStateException unsupported(Exception e) {
    return new IllegalStateException("the exactly-once Kafka sink cannot reach the producer's"
        + " transaction internals in kafka-clients " + org.apache.kafka.common.utils.internals.AppInfoParser
        .getVersion() + " (written against 4.4.0): " + e, e);
  }
}
