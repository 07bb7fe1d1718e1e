package io.weir.log.internal;

import io.weir.log.api.CommittableOffset;
import io.weir.log.api.CommittableRecord;
import io.weir.log.api.CommitterSettings;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.Control;
import io.weir.log.api.GroupDescription;
import io.weir.log.api.IllegalGenerationException;
import io.weir.log.api.PartitionNotAssignedException;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.RebalanceInProgressException;
import io.weir.log.api.StartPosition;
import io.weir.log.api.TopicPartition;
import io.weir.log.api.UnknownMemberException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/** The consumer-group side of the log: committable sources, the committer, and group admin. */
final class ConsumerGroups {
  /** Per-partition buffer of the merge hub that joins the partitions' sources. */
  private static final int HUB_BUFFER = 16;

  private final ActorSystem<?> system;
  private final LogSettings settings;
  private final PartitionReader reader;
  private final TopicCache topics;

  ConsumerGroups(ActorSystem<?> system, LogSettings settings, PartitionReader reader,
      TopicCache topics) {
    this.system = system;
    this.settings = settings;
    this.reader = reader;
    this.topics = topics;
  }

  Source<CommittableRecord, Control> committableSource(ConsumerGroupSettings group) {
    return Source.<CommittableRecord, Control>fromMaterializer((mat, attributes) -> {
      Pair<Sink<CommittableRecord, NotUsed>, Source<CommittableRecord, NotUsed>> hub =
          MergeHub.of(CommittableRecord.class, HUB_BUFFER).preMaterialize(mat);
      Pair<UniqueKillSwitch, Source<CommittableRecord, NotUsed>> out = hub.second()
          .viaMat(KillSwitches.single(), Keep.right()).preMaterialize(mat);
      CompletableFuture<Done> stopped = new CompletableFuture<>();
      ActorRef<GroupConsumer.Command> member = system.systemActorOf(
          GroupConsumer.create(group, settings, new GroupConsumer.GroupSources(hub.first(),
              out.first(), stopped, mat, reader, topics)),
          "group-member-" + UUID.randomUUID(), Props.empty());
      Control control = new Control() {
        @Override
        public CompletionStage<Done> stop() {
          member.tell(new GroupConsumer.Stop());
          return stopped;
        }

        @Override
        public CompletionStage<Done> whenStopped() {
          return stopped;
        }
      };
      return out.second().watchTermination((notUsed, done) -> {
        done.whenComplete((d, e) -> member.tell(new GroupConsumer.Stop()));
        return control;
      });
    }).mapMaterializedValue(ConsumerGroups::deferred);
  }

  private static Control deferred(CompletionStage<Control> control) {
    return new Control() {
      @Override
      public CompletionStage<Done> stop() {
        return control.thenCompose(Control::stop);
      }

      @Override
      public CompletionStage<Done> whenStopped() {
        return control.thenCompose(Control::whenStopped);
      }
    };
  }

  Flow<CommittableOffset, Done, NotUsed> committerFlow(CommitterSettings committer) {
    return Flow.<CommittableOffset>create()
        .groupedWithin(committer.maxBatch(), committer.maxInterval())
        .mapAsync(1, this::commitBatch);
  }

  /** Commits the highest offset per partition of {@code batch}, one message per member. */
  private CompletionStage<Done> commitBatch(List<CommittableOffset> batch) {
    Map<ActorRef<GroupConsumer.Command>, Map<TopicPartition, GroupOffset>> byMember =
        new LinkedHashMap<>();
    for (CommittableOffset o : batch) {
      if (!(o instanceof GroupOffset g)) {
        throw new IllegalArgumentException("not an offset of a committable source: " + o);
      }
      byMember.computeIfAbsent(g.consumer(), k -> new TreeMap<>())
          .merge(g.topicPartition(), g, (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    List<CompletableFuture<Done>> commits = new ArrayList<>();
    byMember.forEach((member, offsets) -> {
      CompletableFuture<Done> stopped = offsets.values().iterator().next().memberStopped();
      if (stopped.isDone()) {
        system.log().info("commit skipped, its group member has left; the records will be "
            + "delivered again: {}", offsets.keySet());
        return;
      }
      CompletableFuture<Done> result = new CompletableFuture<>();
      member.tell(new GroupConsumer.Commit(offsets.values().stream()
          .map(g -> new GroupCoordinator.OffsetCommit(g.topicPartition(), g.offset() + 1,
              g.metadata())).toList(), result));
      // The member may stop between the check above and the message: then nobody answers.
      commits.add(result.orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .exceptionally(error -> skipIfMoved(error, stopped)));
    });
    return CompletableFuture.allOf(commits.toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
  }

  /** Done when {@code error} only means the partition moved on; else rethrows it. */
  private Done skipIfMoved(Throwable error, CompletableFuture<Done> memberStopped) {
    if (error instanceof TimeoutException && memberStopped.isDone()) {
      return Done.getInstance();
    }
    if (error instanceof UnknownMemberException || error instanceof IllegalGenerationException
        || error instanceof RebalanceInProgressException
        || error instanceof PartitionNotAssignedException) {
      // Its new owner reads the partition from the last accepted commit.
      system.log().info("commit refused, records will be delivered again: {}",
          error.getMessage());
      return Done.getInstance();
    }
    throw error instanceof RuntimeException r ? r : new RuntimeException(error);
  }

  CompletionStage<List<String>> listGroups() {
    return GroupDirectory.ref(system).ask(
            (ActorRef<GroupDirectory.GroupList> r) -> new GroupDirectory.ListGroups(r),
            settings.askTimeout())
        .thenApply(GroupDirectory.GroupList::groupIds);
  }

  CompletionStage<GroupDescription> describeGroup(String groupId) {
    return LogImpl.unwrap(snapshot(groupId)).thenCompose(s -> {
      Map<TopicPartition, String> owners = new HashMap<>();
      s.members().forEach(m -> m.assignment().forEach(tp -> owners.put(tp, m.memberId())));
      Map<TopicPartition, GroupState.Committed> committed = new HashMap<>();
      s.offsets().forEach(c -> committed.put(c.topicPartition(), c));
      List<TopicPartition> partitions = new ArrayList<>(owners.keySet());
      committed.keySet().stream().filter(tp -> !owners.containsKey(tp)).forEach(partitions::add);
      partitions.sort(Comparator.naturalOrder());
      List<CompletableFuture<GroupDescription.PartitionLag>> lags = partitions.stream()
          .map(tp -> reader.offsets(tp.topic(), tp.partition()).toCompletableFuture()
              .thenApply(range -> lag(tp, committed.get(tp), range, owners.get(tp)))
              .exceptionally(e -> lag(tp, committed.get(tp), null, owners.get(tp))))
          .toList();
      return CompletableFuture.allOf(lags.toArray(CompletableFuture[]::new)).thenApply(v ->
          new GroupDescription(groupId, s.state(), s.generation(), s.strategy(),
              s.members().stream().sorted(Comparator.comparing(GroupState.Member::memberId))
                  .map(m -> new GroupDescription.Member(m.memberId(), m.clientId(), m.topics(),
                      m.assignment(), Duration.ofMillis(m.sessionTimeoutMs()))).toList(),
              lags.stream().map(CompletableFuture::join).toList()));
    });
  }

  /** One line of a description; {@code range} is null when the partition cannot be read. */
  private static GroupDescription.PartitionLag lag(TopicPartition tp,
      GroupState.Committed committed, PartitionOffsets range, String owner) {
    long end = range == null ? -1 : range.logEndOffset();
    long from = committed != null ? committed.offset() : range == null ? -1
        : range.logStartOffset();
    return new GroupDescription.PartitionLag(tp, committed == null ? -1 : committed.offset(),
        committed == null ? "" : committed.metadata(), end,
        range == null ? -1 : Math.max(0, end - from), owner);
  }

  CompletionStage<Done> resetGroupOffsets(String groupId, String topic, StartPosition to) {
    return topics.lookup(topic).thenCompose(t -> {
          List<CompletableFuture<GroupCoordinator.OffsetCommit>> targets = new ArrayList<>();
          for (int p = 0; p < t.partitions(); p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            targets.add(reader.startOffset(topic, p, to).toCompletableFuture()
                .thenApply(o -> new GroupCoordinator.OffsetCommit(tp, o, "reset")));
          }
          return CompletableFuture.allOf(targets.toArray(CompletableFuture[]::new))
              .thenApply(v -> targets.stream().map(CompletableFuture::join).toList());
        })
        .thenCompose(offsets -> LogImpl.unwrap(GroupCoordinator.ref(system, groupId)
            .askWithStatus((ActorRef<StatusReply<Done>> r) ->
                new GroupCoordinator.ResetOffsets(offsets, r), settings.askTimeout())))
        .thenCompose(done -> GroupDirectory.ref(system).askWithStatus(
            (ActorRef<StatusReply<Done>> r) -> new GroupDirectory.RegisterGroup(groupId, r),
            settings.askTimeout()));
  }

  private CompletionStage<GroupCoordinator.Snapshot> snapshot(String groupId) {
    return GroupCoordinator.ref(system, groupId).askWithStatus(
        GroupCoordinator.Describe::new, settings.askTimeout());
  }
}
