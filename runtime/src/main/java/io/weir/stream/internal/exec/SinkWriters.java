package io.weir.stream.internal.exec;

import io.weir.log.api.Log;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.TransactionalProducer;
import io.weir.log.internal.TransactionHandles;
import io.weir.stream.api.LogRecordRouter;
import io.weir.stream.api.LogRecordSerializer;
import io.weir.stream.api.sink.Committer;
import io.weir.stream.api.sink.PrecommittingSinkWriter;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.SinkWriter;
import io.weir.stream.api.sink.TwoPhaseCommitSink;
import io.weir.stream.internal.SinkSpec;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/** The writers of Weir's built-in sinks, and the factory that picks one for a sink operator. */
final class SinkWriters {
  private SinkWriters() {}

  /** How long a log sink's transaction may stay open: beyond a checkpoint and its commit. */
  static final Duration LOG_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  /** The committer of a two-phase-commit sink; null for any other sink. */
  @SuppressWarnings("unchecked")
  static Committer<Object> committer(SinkSpec spec, SinkContext context, Log log)
      throws Exception {
    if (spec instanceof SinkSpec.Connector c && c.sink() instanceof TwoPhaseCommitSink<?, ?> two) {
      return (Committer<Object>) two.createCommitter(context);
    }
    if (spec instanceof SinkSpec.GlobalCommitter g) {
      return (Committer<Object>) g.sink().createCommitter(context);
    }
    if (spec instanceof SinkSpec.Log l && l.transactionalIdPrefix() != null
        || spec instanceof SinkSpec.RoutedLog r && r.transactionalIdPrefix() != null) {
      return new Committer<>() {
        @Override
        public void commit(long checkpointId, java.util.Collection<Object> committables) {
          committables.forEach(h -> TransactionHandles.end(log, (TransactionHandles.Handle) h,
              true, Duration.ofSeconds(30)));
        }

        @Override
        public void abort(long checkpointId, java.util.Collection<Object> committables) {
          committables.forEach(h -> TransactionHandles.end(log, (TransactionHandles.Handle) h,
              false, Duration.ofSeconds(30)));
        }

        @Override
        public void close() {}
      };
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  static SinkWriter<Object> create(SinkSpec spec, SinkContext context, Log log) throws Exception {
    if (spec instanceof SinkSpec.Log l && l.transactionalIdPrefix() != null) {
      return new ToLogTransactions(log, l.topic(), (LogRecordSerializer<Object>) l.serializer(),
          l.transactionalIdPrefix() + "-" + context.subtaskIndex());
    }
    if (spec instanceof SinkSpec.RoutedLog r) {
      LogRecordRouter<Object> router = (LogRecordRouter<Object>) r.router();
      return r.transactionalIdPrefix() == null
          ? new ToLog(log, null, (element, topic) -> router.route(element))
          : new ToLogTransactions(log, null, (element, topic) -> router.route(element),
              r.transactionalIdPrefix() + "-" + context.subtaskIndex());
    }
    if (spec instanceof SinkSpec.CommittableWriter w) {
      return (SinkWriter<Object>) w.sink().createWriter(context);
    }
    if (spec instanceof SinkSpec.GlobalCommitter) {
      return new CommittableCollector();
    }
    if (spec instanceof SinkSpec.Log l) {
      return new ToLog(log, l.topic(), (LogRecordSerializer<Object>) l.serializer());
    } else if (spec instanceof SinkSpec.Connector c) {
      return (SinkWriter<Object>) c.sink().createWriter(context);
    }
    return new Print(System.out, context);
  }

  /**
   * Appends to a log topic in transactions, one per checkpoint: {@code precommit} flushes the
   * open transaction and hands out its handle (it stays open), and the committer commits it when
   * the checkpoint completes. Transactional ids are {@code prefix-subtask-n}, n counting up from
   * the one after the highest restored (the ids just above are fenced first, which aborts what a
   * failed attempt left open).
   */
  static final class ToLogTransactions implements PrecommittingSinkWriter<Object, Object> {
    private final Log log;
    private final String idPrefix;
    private final LogAppends appends;
    private TransactionalProducer open;
    private String openId;
    private long next;
    private boolean fenced;

    ToLogTransactions(Log log, String topic, LogRecordSerializer<Object> serializer,
        String idPrefix) {
      this.log = log;
      this.idPrefix = idPrefix;
      this.appends = new LogAppends(topic, serializer);
    }

    /** After a restore: continue above the restored transactions' numbers. */
    void restored(java.util.List<Object> committables) {
      for (Object c : committables) {
        String id = ((TransactionHandles.Handle) c).transactionalId();
        next = Math.max(next, Long.parseLong(id.substring(id.lastIndexOf('-') + 1)) + 1);
      }
    }

    @Override
    public void write(Object element, Long timestamp) throws Exception {
      ProducerRecord record = appends.recordOf(element);
      if (record == null) {
        return;
      }
      if (open == null) {
        if (!fenced) {
          // What a failed attempt may have left open just above: fence, which aborts it.
          for (long n = next + 1; n <= next + 3; n++) {
            log.newTransactionalProducer(idPrefix + "-" + n, LOG_TRANSACTION_TIMEOUT,
                ProducerSettings.defaults()).close();
          }
          fenced = true;
        }
        openId = idPrefix + "-" + next++;
        open = log.newTransactionalProducer(openId, LOG_TRANSACTION_TIMEOUT,
            ProducerSettings.defaults());
        open.beginTransaction();
      }
      appends.send(open, record);
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public java.util.Collection<Object> precommit(long checkpointId) throws Exception {
      if (open == null) {
        return java.util.List.of();
      }
      TransactionHandles.Handle handle = TransactionHandles.hold(open, openId,
          Duration.ofSeconds(30));
      appends.rethrow();
      open = null;
      return java.util.List.of(handle);
    }

    @Override
    public void close() {}
  }

  /**
   * The "writer" of a global committer: the committables the sink's writers send ahead of a
   * barrier arrive as its records; on the barrier (aligned, so every writer's are in) it hands
   * them over as its own pre-commit, and the sink operator keeps them in the committer's
   * checkpoints and commits them when the checkpoint completes.
   */
  static final class CommittableCollector implements PrecommittingSinkWriter<Object, Object> {
    private final java.util.List<Object> received = new java.util.ArrayList<>();

    @Override
    public void write(Object committable, Long timestamp) {
      received.add(committable);
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public java.util.Collection<Object> precommit(long checkpointId) {
      return drain();
    }

    /** Takes what was received since the last pre-commit. */
    java.util.List<Object> drain() {
      java.util.List<Object> out = java.util.List.copyOf(received);
      received.clear();
      return out;
    }

    @Override
    public void close() {}
  }

  /**
   * What both log writers share: turning an element into its record (a router may skip one),
   * sending it, and remembering the first failed append so the next write or flush fails with
   * it — nothing is lost silently.
   */
  static final class LogAppends {
    private final String topic;
    private final LogRecordSerializer<Object> serializer;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    LogAppends(String topic, LogRecordSerializer<Object> serializer) {
      this.topic = topic;
      this.serializer = serializer;
    }

    /** The element's record; null when a router skipped it. */
    ProducerRecord recordOf(Object element) throws Exception {
      rethrow();
      ProducerRecord record = serializer.serialize(element, topic);
      if (topic == null && record == null) {
        return null;
      }
      if (record == null || (topic != null && !topic.equals(record.topic()))) {
        throw new IllegalArgumentException("the log sink's serializer must return a record for"
            + " topic '" + topic + "', returned " + record);
      }
      return record;
    }

    /** Sends a record; its failure, if any, fails a later call. */
    void send(LogProducer producer, ProducerRecord record) {
      producer.send(record).whenComplete((m, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
      });
    }

    /** Records a failure seen elsewhere (a flush). */
    void failed(Throwable t) {
      failure.compareAndSet(null, t);
    }

    /** Throws the first failure, if any. */
    void rethrow() throws Exception {
      Throwable t = failure.get();
      if (t instanceof Exception e) {
        throw e;
      } else if (t != null) {
        throw new IllegalStateException("appending to log topic '" + topic + "' failed", t);
      }
    }
  }

  /** Prints each record on its own line; prefixed {@code n> } by subtask when parallel. */
  static final class Print implements SinkWriter<Object> {
    private final PrintStream out;
    private final String prefix;

    Print(PrintStream out, SinkContext context) {
      this.out = out;
      this.prefix = context.parallelism() > 1 ? (context.subtaskIndex() + 1) + "> " : "";
    }

    @Override
    public void write(Object element, Long timestamp) {
      out.println(prefix + element);
    }

    @Override
    public void flush(boolean endOfInput) {
      out.flush();
    }

    @Override
    public void close() {}
  }

  /**
   * Appends each record to a log topic through one producer per subtask. A write returns once
   * the producer has the record (it blocks while the producer's buffer is full, which is the
   * backpressure); a failed append fails the next write or flush, so nothing is lost silently.
   */
  static final class ToLog implements SinkWriter<Object> {
    private final LogProducer producer;
    private final LogAppends appends;

    ToLog(Log log, String topic, LogRecordSerializer<Object> serializer) {
      this.producer = log.newProducer(ProducerSettings.defaults());
      this.appends = new LogAppends(topic, serializer);
    }

    @Override
    public void write(Object element, Long timestamp) throws Exception {
      ProducerRecord record = appends.recordOf(element);
      if (record != null) {
        appends.send(producer, record);
      }
    }

    @Override
    public void flush(boolean endOfInput) throws Exception {
      try {
        producer.flush().toCompletableFuture().get();
      } catch (ExecutionException e) {
        appends.failed(e.getCause());
      }
      appends.rethrow();
    }

    @Override
    public void close() {
      producer.close();
    }
  }
}
