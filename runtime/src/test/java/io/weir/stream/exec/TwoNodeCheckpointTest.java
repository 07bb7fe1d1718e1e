package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.CollectSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes in one cluster (two actor systems on 127.0.0.1, remoting between them): a job whose
 * subtasks spread over both checkpoints megabytes of keyed state per subtask, far above
 * Artery's ordinary 256 KiB frame, since checkpoint messages take the large-message lane.
 */
class TwoNodeCheckpointTest {
  private static final int KEYS = 4_000;
  private static StreamTestKit first;
  private static StreamTestKit second;

  @BeforeAll
  static void start() throws Exception {
    first = new StreamTestKit();
    second = new StreamTestKit("", first);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Cluster cluster = Cluster.get(first.system().classicSystem());
    while (System.nanoTime() < deadline && java.util.stream.StreamSupport.stream(
        cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count() < 2) {
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  /** Keeps a kilobyte per key: 4 MB of keyed state over four subtasks. */
  public static final class BigState implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(4);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(300)));
      job.generate(i -> i % KEYS)
          .keyBy(k -> k)
          .process(new Keep())
          .filter(s -> false)
          .sinkTo(new CollectSink<>("two-nodes"));
    }
  }

  /** Stores a kilobyte for its key. */
  static final class Keep implements KeyedProcessFunction<Long, Long, String> {
    private ValueState<String> value;

    @Override
    public void open(RuntimeContext context) {
      value = context.getState(ValueStateDescriptor.of("value", String.class));
    }

    @Override
    public void processElement(Long key, Context<Long> ctx, Collector<String> out) {
      value.update("x".repeat(1000) + key);
      out.collect(value.value());
    }
  }

  @Test
  void megabytesOfStateCheckpointAcrossNodes() throws Exception {
    String jobId = StreamTestKit.await(first.jobs().submit(BigState.class.getName(), List.of()))
        .jobId();
    Set<String> hosting = new HashSet<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JobStatus status = StreamTestKit.await(first.jobs().status(jobId));
    while (System.nanoTime() < deadline && (status.checkpoints().stream()
        .noneMatch(c -> c.bytes() > 2_000_000) || hosting.size() < 2)) {
      hosting.addAll(nodesHostingSubtasks());
      Thread.sleep(200);
      status = StreamTestKit.await(first.jobs().status(jobId));
    }
    assertTrue(hosting.size() >= 2, "subtasks ran on both nodes: " + hosting);
    assertTrue(status.checkpoints().stream().anyMatch(c -> c.bytes() > 2_000_000),
        "a checkpoint of megabytes completed: " + status.summary());
    assertTrue(status.state() == JobState.RUNNING, status.summary());
    StreamTestKit.await(first.jobs().cancel(jobId));
  }

  /** The addresses of the nodes that host subtask entities now. */
  private static Set<String> nodesHostingSubtasks() throws Exception {
    ShardRegion.ClusterShardingStats stats = AskPattern.<
        org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
        ShardRegion.ClusterShardingStats>ask(ClusterSharding.get(first.system()).shardState(),
            r -> new GetClusterShardingStats(io.weir.stream.internal.job.SubtaskEntity.KEY,
                Duration.ofSeconds(5), r), Duration.ofSeconds(10), first.system().scheduler())
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    Set<String> nodes = new HashSet<>();
    stats.getRegions().forEach((address, region) -> {
      if (region.getStats().values().stream().anyMatch(n -> ((Number) n).intValue() > 0)) {
        nodes.add(address.toString());
      }
    });
    return nodes;
  }
}
