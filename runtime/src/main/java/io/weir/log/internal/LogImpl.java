package io.weir.log.internal;

import io.weir.api.WeirException;
import io.weir.log.api.CommittableOffset;
import io.weir.log.api.CommittableRecord;
import io.weir.log.api.CommitterSettings;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.IsolationLevel;
import io.weir.log.api.Control;
import io.weir.log.api.GroupDescription;
import io.weir.log.api.Log;
import io.weir.log.api.LogProducer;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.RecordMetadata;
import io.weir.log.api.StartPosition;
import io.weir.log.api.TopicDescription;
import io.weir.log.api.TransactionalProducer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/** The log on one actor system: sharding of the registry and partitions, admin and streams. */
public final class LogImpl implements Log {
  private final ActorSystem<?> system;
  private final LogSettings settings;
  private final TopicCache topics;
  private final PartitionReader reader;
  private final ScheduledExecutorService timer;
  private final ConsumerGroups groups;

  /**
   * Starts the log's entities on {@code system}.
   *
   * @param system a cluster actor system with a journal
   * @param settings the log's settings
   * @param clock the clock for append times and retention
   */
  /** The actor system the log runs on. */
  ActorSystem<?> system() {
    return system;
  }

  public LogImpl(ActorSystem<?> system, LogSettings settings, Clock clock) {
    this.system = system;
    this.settings = settings;
    TopicRegistry.init(system);
    ProducerIdAllocator.init(system);
    TransactionCoordinator.init(system, settings, clock);
    PartitionEntity.init(system, settings, clock);
    this.topics = new TopicCache(system, settings.askTimeout());
    this.reader = new PartitionReader(system, settings);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weir-log-timer");
      t.setDaemon(true);
      return t;
    });
    system.getWhenTerminated().thenRun(timer::shutdownNow);
    GroupCoordinator.init(system, clock);
    GroupDirectory.init(system);
    this.groups = new ConsumerGroups(system, settings, reader, topics);
  }

  @Override
  public CompletionStage<TopicDescription> createTopic(String name, int partitions,
      Map<String, String> config) {
    long now = System.currentTimeMillis();
    return unwrap(TopicRegistry.ref(system).askWithStatus(
        (ActorRef<StatusReply<TopicDescription>> r) ->
            new TopicRegistry.CreateTopic(name, partitions, Map.copyOf(config), now, r),
        settings.askTimeout()));
  }

  @Override
  public CompletionStage<TopicDescription> deleteTopic(String name) {
    return describeTopic(name).thenCompose(topic -> {
      List<CompletableFuture<Long>> purges = IntStream.range(0, topic.partitions())
          .mapToObj(p -> PartitionEntity.ref(system, name, p).askWithStatus(
                  (ActorRef<StatusReply<Long>> r) -> new PartitionEntity.Purge(r),
                  settings.askTimeout())
              .toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(purges.toArray(CompletableFuture[]::new));
    }).thenCompose(v -> unwrap(TopicRegistry.ref(system).askWithStatus(
        (ActorRef<StatusReply<TopicDescription>> r) -> new TopicRegistry.DeleteTopic(name, r),
        settings.askTimeout())))
        .whenComplete((t, e) -> topics.forget(name));
  }

  @Override
  public CompletionStage<List<TopicDescription>> listTopics() {
    return TopicRegistry.ref(system)
        .ask((ActorRef<TopicRegistry.TopicList> r) -> new TopicRegistry.ListTopics(r),
            settings.askTimeout())
        .thenApply(TopicRegistry.TopicList::topics);
  }

  @Override
  public CompletionStage<TopicDescription> describeTopic(String name) {
    return unwrap(TopicRegistry.ref(system)
        .ask((ActorRef<TopicRegistry.TopicLookup> r) -> new TopicRegistry.GetTopic(name, r),
            settings.askTimeout())
        .thenApply(lookup -> lookup.asOptional().orElseThrow(() ->
            new io.weir.log.api.UnknownTopicException("unknown topic '" + name + "'"))));
  }

  @Override
  public CompletionStage<List<PartitionOffsets>> offsets(String topic) {
    return describeTopic(topic).thenCompose(t -> {
      List<CompletableFuture<PartitionOffsets>> all = new ArrayList<>();
      for (int p = 0; p < t.partitions(); p++) {
        all.add(reader.offsets(topic, p).toCompletableFuture());
      }
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    });
  }

  @Override
  public LogProducer newProducer(ProducerSettings producerSettings) {
    return new ProducerImpl(system, producerSettings, topics, timer, null, null);
  }

  @Override
  public TransactionalProducer newTransactionalProducer(String transactionalId,
      java.time.Duration transactionTimeout, ProducerSettings producerSettings) {
    return new ProducerImpl(system, producerSettings.withIdempotence(true), topics, timer,
        transactionalId, transactionTimeout);
  }

  @Override
  public Flow<ProducerRecord, RecordMetadata, NotUsed> producerFlow(ProducerSettings ps) {
    return Flow.<ProducerRecord, RecordMetadata, NotUsed>fromMaterializer((mat, attributes) -> {
      LogProducer producer = newProducer(ps);
      return Flow.<ProducerRecord>create()
          .mapAsync(ps.maxOutstanding(), producer::send)
          .watchTermination((notUsed, done) -> {
            done.whenComplete((d, e) -> CompletableFuture.runAsync(producer::close));
            return notUsed;
          });
    }).mapMaterializedValue(f -> NotUsed.getInstance());
  }

  @Override
  public Source<ConsumerRecord, NotUsed> source(String topic, int partition, StartPosition start,
      IsolationLevel isolation) {
    return reader.source(topic, partition, start, isolation);
  }

  @Override
  public Source<List<ConsumerRecord>, NotUsed> batchSource(String topic, int partition,
      StartPosition start, IsolationLevel isolation) {
    return reader.batches(topic, partition, start, isolation);
  }

  @Override
  public Source<ConsumerRecord, NotUsed> source(String topic, StartPosition start,
      IsolationLevel isolation) {
    return Source.completionStage(describeTopic(topic))
        .flatMapConcat(t -> Source.range(0, t.partitions() - 1)
            .flatMapMerge(t.partitions(), p -> reader.source(topic, p, start, isolation)));
  }

  @Override
  public Source<CommittableRecord, Control> committableSource(ConsumerGroupSettings group) {
    return groups.committableSource(group);
  }

  @Override
  public Flow<CommittableOffset, Done, NotUsed> committerFlow(CommitterSettings committer) {
    return groups.committerFlow(committer);
  }

  @Override
  public Sink<CommittableOffset, CompletionStage<Done>> committerSink(
      CommitterSettings committer) {
    return groups.committerFlow(committer).toMat(Sink.ignore(), Keep.right());
  }

  @Override
  public CompletionStage<List<String>> listGroups() {
    return groups.listGroups();
  }

  @Override
  public CompletionStage<GroupDescription> describeGroup(String groupId) {
    return groups.describeGroup(groupId);
  }

  @Override
  public CompletionStage<Done> resetGroupOffsets(String groupId, String topic,
      StartPosition to) {
    return groups.resetGroupOffsets(groupId, topic, to);
  }

  /** Replaces a CompletionException wrapper by the WeirException inside it. */
  static <T> CompletionStage<T> unwrap(CompletionStage<T> stage) {
    return stage.handle((value, error) -> {
      if (error == null) {
        return value;
      }
      Throwable t = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      if (t instanceof WeirException w) {
        throw w;
      }
      throw new WeirException(t.getMessage() == null ? t.toString() : t.getMessage(), t);
    });
  }
}
