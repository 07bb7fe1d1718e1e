package io.weir.connectors.kafka.internal;

import io.weir.connectors.kafka.KafkaEnumeratorState;
import io.weir.connectors.kafka.KafkaPartition;
import io.weir.connectors.kafka.KafkaPartitionSplit;
import io.weir.connectors.kafka.KafkaSourceException;
import io.weir.connectors.kafka.KafkaSourceSettings;
import io.weir.connectors.kafka.StartingOffsets;
import io.weir.stream.api.source.SplitEnumerator;
import io.weir.stream.api.source.SplitEnumeratorContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers the source's topic-partitions with an admin client, resolves their starting (and,
 * when bounded, stopping) offsets, and assigns each to a fixed reader, as Flink's Kafka source
 * does: a topic's partitions go round the readers from a start that depends on the topic's name.
 * Discovery runs off the enumerator's thread ({@code callAsync}); the first one fails the job
 * when a topic does not exist, later ones only log.
 */
public final class KafkaSourceEnumerator
    implements SplitEnumerator<KafkaPartitionSplit, KafkaEnumeratorState> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceEnumerator.class);
  private static final long TIMEOUT_SECONDS = 60;

  private final KafkaSourceSettings settings;
  private final SplitEnumeratorContext<KafkaPartitionSplit> context;
  /** Written on the enumerator's thread, read by discovery to skip what is known. */
  private final Set<KafkaPartition> discovered = ConcurrentHashMap.newKeySet();
  private final Map<Integer, List<KafkaPartitionSplit>> pending = new TreeMap<>();
  private final Set<Integer> toldNoMore = new HashSet<>();
  private volatile boolean initialDiscoveryDone;
  private Admin admin;

  /**
   * @param settings what the source reads
   * @param context the link to the readers
   * @param state where a restored enumerator stood (empty for a fresh start)
   */
  public KafkaSourceEnumerator(KafkaSourceSettings settings,
      SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaEnumeratorState state) {
    this.settings = settings;
    this.context = context;
    this.discovered.addAll(state.discovered());
    this.initialDiscoveryDone = state.initialDiscoveryDone();
    state.unassigned().forEach(this::addPending);
  }

  @Override
  public void start() {
    admin = Admin.create(KafkaClients.admin(settings.bootstrapServers(), settings.properties()));
    long interval = settings.discoveryInterval().toMillis();
    if (settings.bounded() || interval == 0) {
      if (initialDiscoveryDone) {
        assignPending();
      } else {
        context.callAsync(this::discover, this::discovered);
      }
    } else {
      context.callAsync(this::discover, this::discovered, 0, interval);
    }
  }

  /** Off the enumerator's thread: the splits of partitions not known yet. */
  private List<KafkaPartitionSplit> discover() throws Exception {
    Set<String> topics = topics();
    Map<String, TopicDescription> described;
    try {
      described = admin.describeTopics(topics).allTopicNames()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new KafkaSourceException("a topic of " + topics + " does not exist on "
            + settings.bootstrapServers() + ": " + e.getCause().getMessage(), e.getCause());
      }
      throw e;
    }
    List<TopicPartition> fresh = new ArrayList<>();
    for (TopicDescription d : described.values()) {
      d.partitions().forEach(p -> {
        if (!discovered.contains(new KafkaPartition(d.name(), p.partition()))) {
          fresh.add(new TopicPartition(d.name(), p.partition()));
        }
      });
    }
    if (fresh.isEmpty()) {
      return List.of();
    }
    Map<TopicPartition, Long> start = startingOffsets(fresh,
        initialDiscoveryDone ? StartingOffsets.earliest() : settings.startingOffsets());
    Map<TopicPartition, Long> stop = settings.bounded()
        ? listOffsets(fresh, OffsetSpec.latest()) : Map.of();
    List<KafkaPartitionSplit> splits = new ArrayList<>();
    for (TopicPartition tp : fresh) {
      long from = start.get(tp);
      long until = settings.bounded() ? stop.get(tp) : -1;
      splits.add(new KafkaPartitionSplit(tp.topic(), tp.partition(),
          until >= 0 ? Math.min(from, until) : from, until));
    }
    return splits;
  }

  private Set<String> topics() throws Exception {
    if (settings.topicPattern() == null) {
      return new LinkedHashSet<>(settings.topics());
    }
    Pattern pattern = Pattern.compile(settings.topicPattern());
    Set<String> names = new LinkedHashSet<>();
    for (String name : admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      if (pattern.matcher(name).matches()) {
        names.add(name);
      }
    }
    return names;
  }

  private Map<TopicPartition, Long> startingOffsets(List<TopicPartition> partitions,
      StartingOffsets spec) throws Exception {
    if (spec instanceof StartingOffsets.Latest) {
      return listOffsets(partitions, OffsetSpec.latest());
    }
    if (spec instanceof StartingOffsets.Timestamp t) {
      Map<TopicPartition, Long> at = listOffsets(partitions, OffsetSpec.forTimestamp(
          t.epochMillis()));
      Map<TopicPartition, Long> end = listOffsets(partitions, OffsetSpec.latest());
      Map<TopicPartition, Long> result = new HashMap<>();
      // No record at or after the timestamp: start at the end.
      partitions.forEach(tp -> result.put(tp, at.get(tp) < 0 ? end.get(tp) : at.get(tp)));
      return result;
    }
    Map<TopicPartition, Long> earliest = listOffsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> result = new HashMap<>(earliest);
    if (spec instanceof StartingOffsets.Specific s) {
      s.offsets().forEach((p, offset) -> {
        TopicPartition tp = new TopicPartition(p.topic(), p.partition());
        if (result.containsKey(tp)) {
          result.put(tp, offset);
        }
      });
    } else if (spec instanceof StartingOffsets.Committed) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin
          .listConsumerGroupOffsets(settings.groupId()).partitionsToOffsetAndMetadata()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      committed.forEach((tp, om) -> {
        if (om != null && result.containsKey(tp)) {
          result.put(tp, om.offset());
        }
      });
    }
    return result;
  }

  private Map<TopicPartition, Long> listOffsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws Exception {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, Long> result = new HashMap<>();
    admin.listOffsets(request, new ListOffsetsOptions(KafkaClients.isolation(settings)))
        .all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .forEach((tp, info) -> result.put(tp, info.offset()));
    return result;
  }

  /** On the enumerator's thread: the discovery's result. */
  private void discovered(List<KafkaPartitionSplit> splits, Throwable failure) {
    if (failure != null) {
      if (!initialDiscoveryDone) {
        throw failure instanceof KafkaSourceException k ? k : new KafkaSourceException(
            "discovering the partitions of " + describe() + " failed: " + failure, failure);
      }
      LOG.warn("discovering new partitions of {} failed, trying again later: {}", describe(),
          failure.toString());
      return;
    }
    for (KafkaPartitionSplit split : splits) {
      if (discovered.add(split.kafkaPartition())) {
        addPending(split);
      }
    }
    if (!splits.isEmpty() && initialDiscoveryDone) {
      LOG.info("found {} new partitions of {}", splits.size(), describe());
    }
    initialDiscoveryDone = true;
    assignPending();
  }

  private String describe() {
    return settings.topicPattern() == null ? "topics " + settings.topics()
        : "topics matching '" + settings.topicPattern() + "'";
  }

  /** The reader that always reads a partition. */
  static int owner(KafkaPartition partition, int parallelism) {
    int start = ((partition.topic().hashCode() * 31) & 0x7FFFFFFF) % parallelism;
    return (start + partition.partition()) % parallelism;
  }

  private void addPending(KafkaPartitionSplit split) {
    pending.computeIfAbsent(owner(split.kafkaPartition(), context.currentParallelism()),
        k -> new ArrayList<>()).add(split);
  }

  private void assignPending() {
    Set<Integer> readers = context.registeredReaders();
    Map<Integer, List<KafkaPartitionSplit>> assignment = new HashMap<>();
    pending.entrySet().removeIf(e -> {
      if (readers.contains(e.getKey()) && !e.getValue().isEmpty()) {
        assignment.put(e.getKey(), List.copyOf(e.getValue()));
        return true;
      }
      return e.getValue().isEmpty();
    });
    if (!assignment.isEmpty()) {
      context.assignSplits(assignment);
    }
    if (settings.bounded() && initialDiscoveryDone) {
      for (int reader : readers) {
        if (!pending.containsKey(reader) && toldNoMore.add(reader)) {
          context.signalNoMoreSplits(reader);
        }
      }
    }
  }

  @Override
  public void handleSplitRequest(int subtaskId) {
    // Splits are pushed when readers register and partitions are found.
  }

  @Override
  public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
    splits.forEach(this::addPending);
    toldNoMore.remove(subtaskId);
    assignPending();
  }

  @Override
  public void addReader(int subtaskId) {
    toldNoMore.remove(subtaskId);
    assignPending();
  }

  @Override
  public KafkaEnumeratorState snapshotState(long checkpointId) {
    List<KafkaPartitionSplit> unassigned = new ArrayList<>();
    pending.values().forEach(unassigned::addAll);
    return new KafkaEnumeratorState(List.copyOf(discovered), unassigned, initialDiscoveryDone);
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close(java.time.Duration.ofSeconds(5));
    }
  }
}
