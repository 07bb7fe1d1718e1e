package io.weir.connectors.kafka.internal;

import io.weir.connectors.kafka.KafkaPartitionSplit;
import io.weir.connectors.kafka.KafkaRecord;
import io.weir.connectors.kafka.KafkaRecordDeserializer;
import io.weir.connectors.kafka.KafkaSourceException;
import io.weir.connectors.kafka.KafkaSourceSettings;
import io.weir.stream.api.source.InputStatus;
import io.weir.stream.api.source.ReaderOutput;
import io.weir.stream.api.source.SourceReader;
import io.weir.stream.api.source.SourceReaderContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Reads the partitions assigned to one subtask. A {@link PartitionFetcher} thread polls the
 * consumer; {@code pollNext} takes one fetched batch at a time on the subtask's thread,
 * deserializes and emits its records with their timestamps, and moves each split's offset past
 * them, so a checkpoint's offsets are exactly those of what was emitted before its barrier.
 */
public final class KafkaSourceReader<T> implements SourceReader<T, KafkaPartitionSplit> {
  private final KafkaSourceSettings settings;
  private final KafkaRecordDeserializer<T> deserializer;
  private final SourceReaderContext context;
  /** The splits being read, with the offset after the last record emitted. */
  private final Map<TopicPartition, KafkaPartitionSplit> splits = new LinkedHashMap<>();
  /** Offsets per checkpoint taken, committed to the group when the checkpoint completes. */
  private final TreeMap<Long, Map<TopicPartition, Long>> toCommit = new TreeMap<>();
  private final PartitionFetcher fetcher;
  private final Thread thread;
  private volatile CompletableFuture<Void> available = new CompletableFuture<>();
  private boolean noMoreSplits;
  private KafkaProducer<byte[], byte[]> deadLetters;

  /**
   * @param settings what the source reads
   * @param deserializer records to elements
   * @param context the subtask
   */
  public KafkaSourceReader(KafkaSourceSettings settings, KafkaRecordDeserializer<T> deserializer,
      SourceReaderContext context) {
    this.settings = settings;
    this.deserializer = deserializer;
    this.context = context;
    String clientId = "weir-kafka-source-" + context.subtaskIndex() + "-"
        + Long.toHexString(System.nanoTime());
    this.fetcher = new PartitionFetcher(KafkaClients.consumer(settings, clientId), this::signal);
    this.thread = new Thread(fetcher, clientId);
    thread.setDaemon(true);
  }

  @Override
  public void start() {
    thread.start();
  }

  @Override
  public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
    PartitionFetcher.Fetch fetch = fetcher.next();
    if (fetch != null) {
      if (fetch.failure() != null) {
        throw new KafkaSourceException("reading " + splits.keySet() + " from "
            + settings.bootstrapServers() + " failed: " + fetch.failure(), fetch.failure());
      }
      emit(fetch, output);
    }
    if (splits.isEmpty() && noMoreSplits) {
      return InputStatus.END_OF_INPUT;
    }
    return fetcher.hasNext() ? InputStatus.MORE_AVAILABLE : InputStatus.NOTHING_AVAILABLE;
  }

  private void emit(PartitionFetcher.Fetch fetch, ReaderOutput<T> output) throws Exception {
    for (TopicPartition tp : fetch.records().partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : fetch.records().records(tp)) {
        KafkaPartitionSplit split = splits.get(tp);
        if (split == null || r.offset() < split.nextOffset()
            || split.stoppingOffset() >= 0 && r.offset() >= split.stoppingOffset()) {
          continue; // a finished split, or before the position (fetched before a seek)
        }
        KafkaRecord record = toRecord(r);
        T element;
        try {
          element = deserializer.deserialize(record);
          if (element == null) {
            throw new IllegalArgumentException("the deserializer returned null");
          }
        } catch (Exception e) {
          element = null;
          deadLetter(record, e);
        }
        if (element != null) {
          if (r.timestamp() >= 0) {
            output.collect(element, r.timestamp());
          } else {
            output.collect(element);
          }
        }
        splits.put(tp, split.withNextOffset(r.offset() + 1));
      }
    }
    // Positions move past transaction markers and compacted records too.
    fetch.positions().forEach((tp, position) -> {
      KafkaPartitionSplit split = splits.get(tp);
      if (split != null && position > split.nextOffset()) {
        splits.put(tp, split.withNextOffset(split.stoppingOffset() >= 0
            ? Math.min(position, split.stoppingOffset()) : position));
      }
    });
    removeFinished();
  }

  private void deadLetter(KafkaRecord record, Exception e) throws Exception {
    String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
    if (settings.deadLetterTopic() == null) {
      throw new KafkaSourceException("cannot deserialize the record at offset " + record.offset()
          + " of topic " + record.topic() + ", partition " + record.partition() + ": " + reason
          + " (set a dead-letter topic to send such records there instead of failing)", e);
    }
    if (deadLetters == null) {
      Map<String, Object> config = new HashMap<>(KafkaClients.admin(settings.bootstrapServers(),
          settings.properties()));
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      deadLetters = new KafkaProducer<>(config);
    }
    ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(settings.deadLetterTopic(), null,
        record.timestamp() >= 0 ? record.timestamp() : null, record.key(), record.value());
    record.headers().forEach(h -> out.headers().add(h.key(), h.value()));
    out.headers().add("weir.error", reason.getBytes(StandardCharsets.UTF_8));
    out.headers().add("weir.topic", record.topic().getBytes(StandardCharsets.UTF_8));
    out.headers().add("weir.partition", Integer.toString(record.partition())
        .getBytes(StandardCharsets.UTF_8));
    out.headers().add("weir.offset", Long.toString(record.offset())
        .getBytes(StandardCharsets.UTF_8));
    try {
      deadLetters.send(out).get(60, TimeUnit.SECONDS);
    } catch (Exception sendFailure) {
      throw new KafkaSourceException("cannot deserialize the record at offset "
          + record.offset() + " of topic " + record.topic() + ", partition "
          + record.partition() + " (" + reason + "), and sending it to the dead-letter topic "
          + settings.deadLetterTopic() + " failed: " + sendFailure, sendFailure);
    }
  }

  private static KafkaRecord toRecord(ConsumerRecord<byte[], byte[]> r) {
    List<KafkaRecord.Header> headers = new ArrayList<>();
    for (Header h : r.headers()) {
      headers.add(new KafkaRecord.Header(h.key(), h.value()));
    }
    return new KafkaRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(),
        r.value(), headers);
  }

  private void removeFinished() {
    splits.entrySet().removeIf(e -> {
      if (e.getValue().finished()) {
        fetcher.remove(e.getKey());
        return true;
      }
      return false;
    });
  }

  @Override
  public CompletionStage<Void> isAvailable() {
    if (fetcher.hasNext() || splits.isEmpty() && noMoreSplits) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> next = available;
    if (next.isDone()) {
      next = new CompletableFuture<>();
      available = next;
    }
    if (fetcher.hasNext()) { // the fetcher may have queued between the check and the swap
      next.complete(null);
    }
    return next;
  }

  private void signal() {
    available.complete(null);
  }

  @Override
  public void addSplits(List<KafkaPartitionSplit> added) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (KafkaPartitionSplit split : added) {
      TopicPartition tp = new TopicPartition(split.topic(), split.partition());
      splits.put(tp, split);
      if (!split.finished()) {
        offsets.put(tp, split.nextOffset());
      }
    }
    splits.values().removeIf(KafkaPartitionSplit::finished);
    if (!offsets.isEmpty()) {
      fetcher.add(offsets);
    }
    signal();
  }

  @Override
  public void notifyNoMoreSplits() {
    noMoreSplits = true;
    signal();
  }

  @Override
  public List<KafkaPartitionSplit> snapshotState(long checkpointId) {
    if (settings.groupId() != null) {
      Map<TopicPartition, Long> offsets = new HashMap<>();
      splits.forEach((tp, s) -> offsets.put(tp, s.nextOffset()));
      toCommit.put(checkpointId, offsets);
    }
    return List.copyOf(splits.values());
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    var done = toCommit.headMap(checkpointId, true);
    if (!done.isEmpty()) {
      Map<TopicPartition, Long> merged = new HashMap<>();
      done.values().forEach(merged::putAll);
      done.clear();
      if (!merged.isEmpty()) {
        fetcher.commit(merged);
      }
    }
  }

  @Override
  public void close() throws Exception {
    fetcher.stop();
    thread.join(Duration.ofSeconds(30).toMillis());
    if (deadLetters != null) {
      deadLetters.close(Duration.ofSeconds(5));
    }
  }
}
