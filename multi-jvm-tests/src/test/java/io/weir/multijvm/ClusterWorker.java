package io.weir.multijvm;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.Log;
import io.weir.log.api.PartitionOffsets;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.node.NodeLauncher;
import io.weir.node.WeirNode;
import io.weir.node.api.Profile;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A node of a {@link LocalCluster}: starts with the {@code cluster} profile from the
 * configuration file and data directory it is given, then reports and obeys.
 *
 * <p>Every 250 ms it prints {@code MEMBERS n} (members up), {@code HOSTS type id,id,...} for the
 * job masters, subtasks and log partitions it hosts (and the same as {@code HOSTS-AT millis type
 * ids}, with the time), and {@code JOB id state attempt restarts
 * lastCheckpoint} for every job once told to {@code watch} (asking a master for its status
 * would start it: before that, a master only runs where sharding starts it). On each member removed it prints {@code REMOVED address}.
 *
 * <p>Commands, one per line on standard input, each answered with {@code DONE command} or
 * {@code FAILED command reason}:
 * <ul>
 *   <li>{@code topic NAME PARTITIONS} creates a topic;</li>
 *   <li>{@code produce TOPIC RECORDS KEYS} writes records {@code k<i % KEYS>} = {@code v<i>};</li>
 *   <li>{@code submit TOPIC OUTPUT-DIR MILLIS-PER-RECORD} submits {@link CountJob};</li>
 *   <li>{@code producer TOPIC [PREFIX]} starts producing values {@code PREFIX-i} (default prefix
 *       {@code value}) until {@code stop}, printing {@code ACK partition offset value} for every
 *       acknowledged record; {@code stop} closes the producer and prints
 *       {@code STOPPED failed=n};</li>
 *   <li>{@code dump TOPIC} prints {@code RECORD partition offset value} for every record of the
 *       topic, and {@code GAP ...} where offsets are not dense;</li>
 *   <li>{@code watch} starts the {@code JOB} lines;</li>
 *   <li>{@code blackhole ADDRESS} drops all traffic with that node (Artery test mode).</li>
 * </ul>
 */
public final class ClusterWorker {
  private ClusterWorker() {}

  /** Counts per key into a {@link FileCommitSink}, checkpointed every 200 ms, parallelism 3. */
  public static final class CountJob implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      long millis = Long.parseLong(args.get(2));
      job.setParallelism(3);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(200)));
      job.fromLog(args.get(0), StartPosition.earliest())
          .map(ConsumerRecord::keyString).name("Key")
          .keyBy(k -> k)
          .process(new KeyedProcessFunction<String, String, String>() {
            private ValueState<Long> count;

            @Override
            public void open(RuntimeContext context) {
              count = context.getState(ValueStateDescriptor.of("count", Long.class));
            }

            @Override
            public void processElement(String key, Context<String> ctx, Collector<String> out)
                throws Exception {
              Thread.sleep(millis); // slow enough to be killed mid-stream
              long next = count.value() == null ? 1 : count.value() + 1;
              count.update(next);
              out.collect(key + ":" + next);
            }
          }).name("Count")
          .sinkTo(new FileCommitSink(args.get(1))).name("Files");
    }
  }

  /** Whether the reporter asks for job status: asking starts a master that is not running. */
  private static final AtomicBoolean WATCH_JOBS = new AtomicBoolean();

  private static final Map<String, EntityTypeKey<?>> REPORTED = Map.of(
      "weir-job", EntityTypeKey.create(Object.class, "weir-job"),
      "weir-subtask", EntityTypeKey.create(Object.class, "weir-subtask"),
      "weir-log-partition", EntityTypeKey.create(Object.class, "weir-log-partition"));

  /** Arguments: configuration file, data directory. Exits with 1 when anything fails. */
  public static void main(String[] args) {
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    WeirNode node = NodeLauncher.defaults().withProfile(Profile.CLUSTER)
        .withConfigFile(Path.of(args[0])).withDataDir(Path.of(args[1]))
        // Small batches and buffers: barriers are not queued behind seconds of slow records.
        .withConfig("weir.stream.batch-size", 16)
        .withConfig("weir.stream.exchange-buffer", 2)
        .start();
    print("UP " + node.address());
    // Downed (the split brain resolver on the minority side) or shut down: say so and exit.
    node.system().getWhenTerminated().thenRun(() -> {
      print("TERMINATED");
      System.exit(3);
    });
    ((org.apache.pekko.actor.ExtendedActorSystem) node.system().classicSystem()).systemActorOf(
        org.apache.pekko.actor.Props.create(RemovalPrinter.class, RemovalPrinter::new),
        "removal-printer");
    Thread reporter = new Thread(() -> report(node), "reporter");
    reporter.setDaemon(true);
    reporter.start();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    Producing producing = null;
    String line;
    while ((line = in.readLine()) != null) {
      String[] f = line.trim().split(" ");
      try {
        switch (f[0]) {
          case "topic" -> node.weir().log().createTopic(f[1], Integer.parseInt(f[2]), Map.of())
              .toCompletableFuture().get(60, TimeUnit.SECONDS);
          case "produce" -> produce(node.weir().log(), f[1], Integer.parseInt(f[2]),
              Integer.parseInt(f[3]));
          case "submit" -> {
            JobStatus s = node.weir().jobs().submit(CountJob.class, List.of(f[1], f[2], f[3]))
                .toCompletableFuture().get(60, TimeUnit.SECONDS);
            print("SUBMITTED " + s.jobId());
          }
          case "producer" -> producing = new Producing(node.weir().log(), f[1],
              f.length > 2 ? f[2] : "value");
          case "stop" -> print("STOPPED failed=" + producing.stop());
          case "watch" -> WATCH_JOBS.set(true);
          case "dump" -> dump(node, f[1]);
          case "blackhole" -> blackhole(node, f[1]);
          default -> throw new IllegalArgumentException("unknown command");
        }
        print("DONE " + line);
      } catch (Exception e) {
        print("FAILED " + line + " " + e);
      }
    }
  }

  /** Prints {@code RECORD partition offset value} for every record, {@code GAP} for a hole. */
  private static void dump(WeirNode node, String topic) throws Exception {
    Log log = node.weir().log();
    for (PartitionOffsets o : log.offsets(topic).toCompletableFuture().get(60, TimeUnit.SECONDS)) {
      List<ConsumerRecord> records = log.source(topic, o.partition(), StartPosition.earliest())
          .take(o.logEndOffset())
          .runWith(Sink.seq(), node.system()).toCompletableFuture().get(120, TimeUnit.SECONDS);
      for (int i = 0; i < records.size(); i++) {
        ConsumerRecord r = records.get(i);
        if (r.offset() != i) {
          print("GAP partition " + o.partition() + " offset " + r.offset() + " at " + i);
        }
        print("RECORD " + o.partition() + " " + r.offset() + " " + r.valueString());
      }
    }
  }

  /**
   * Drops every message to and from {@code address} from now on, in both directions (Artery's
   * test mode, {@code pekko.remote.artery.advanced.test-mode = on}): a network partition.
   */
  private static void blackhole(WeirNode node, String address) throws Exception {
    var system = (org.apache.pekko.actor.ExtendedActorSystem) node.system().classicSystem();
    var provider = (org.apache.pekko.remote.RemoteActorRefProvider) system.provider();
    // Scala objects nested in objects: javac cannot name them, reflection can.
    String adapter = "org.apache.pekko.remote.transport.ThrottlerTransportAdapter";
    var both = (org.apache.pekko.remote.transport.ThrottlerTransportAdapter.Direction)
        Class.forName(adapter + "$Direction$Both$").getField("MODULE$").get(null);
    var blackhole = (org.apache.pekko.remote.transport.ThrottlerTransportAdapter.ThrottleMode)
        Class.forName(adapter + "$Blackhole$").getField("MODULE$").get(null);
    scala.concurrent.Future<Object> done = provider.transport().managementCommand(
        new org.apache.pekko.remote.transport.ThrottlerTransportAdapter.SetThrottle(
            org.apache.pekko.actor.AddressFromURIString.parse(address), both, blackhole));
    scala.concurrent.Await.result(done, scala.concurrent.duration.Duration.create(10, "s"));
  }

  private static void produce(Log log, String topic, int records, int keys) {
    try (LogProducer producer = log.newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < records; i++) {
        producer.send(ProducerRecord.of(topic, "k" + (i % keys), "v" + i));
      }
      producer.flush().toCompletableFuture().join();
    }
  }

  /** Produces about 2,000 records a second until stopped; prints what is acknowledged. */
  private static final class Producing {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong failed = new AtomicLong();
    private final Thread thread;

    Producing(Log log, String topic, String prefix) {
      // A request to a partition on a dead node times out after 2 s and is retried against the
      // partition's new home, for up to 2 minutes.
      LogProducer producer = log.newProducer(ProducerSettings.defaults()
          .withRequestTimeout(Duration.ofSeconds(2)).withLinger(Duration.ofMillis(5)));
      thread = new Thread(() -> {
        try (producer) {
          for (long i = 0; !stopped.get(); i++) {
            String value = prefix + "-" + i;
            producer.send(ProducerRecord.of(topic, "key-" + (i % 97), value))
                .whenComplete((m, failure) -> {
                  if (failure != null) {
                    failed.incrementAndGet();
                    print("NACK " + value + " " + failure);
                  } else {
                    print("ACK " + m.partition() + " " + m.offset() + " " + value);
                  }
                });
            if (i % 20 == 19) {
              Thread.sleep(10);
            }
          }
          producer.flush().toCompletableFuture().get(150, TimeUnit.SECONDS);
        } catch (Exception e) {
          print("PRODUCER-ERROR " + e);
        }
      }, "producing");
      thread.start();
    }

    long stop() throws InterruptedException {
      stopped.set(true);
      thread.join();
      return failed.get();
    }
  }

  private static void report(WeirNode node) {
    Cluster cluster = Cluster.get(node.system());
    ClusterSharding sharding = ClusterSharding.get(node.system());
    while (true) {
      try {
        long up = 0;
        for (var m : cluster.state().getMembers()) {
          if (m.status() == MemberStatus.up()) {
            up++;
          }
        }
        print("MEMBERS " + up);
        for (var e : REPORTED.entrySet()) {
          ShardRegion.CurrentShardRegionState state = AskPattern.<Object,
              ShardRegion.CurrentShardRegionState>ask(sharding.shardState().unsafeUpcast(),
              r -> new GetShardRegionState(e.getValue(), r), Duration.ofSeconds(5),
              node.system().scheduler()).toCompletableFuture().get(6, TimeUnit.SECONDS);
          TreeSet<String> ids = new TreeSet<>();
          state.getShards().forEach(s -> ids.addAll(s.getEntityIds()));
          print("HOSTS " + e.getKey() + " " + String.join(",", ids));
          print("HOSTS-AT " + System.currentTimeMillis() + " " + e.getKey() + " "
              + String.join(",", ids));
        }
        for (JobStatus s : !WATCH_JOBS.get() ? List.<JobStatus>of()
            : node.weir().jobs().list().toCompletableFuture().get(10, TimeUnit.SECONDS)) {
          long last = s.checkpoints().isEmpty() ? 0
              : s.checkpoints().get(s.checkpoints().size() - 1).id();
          print("JOB " + s.jobId() + " " + s.state() + " " + s.attempt() + " " + s.restarts()
              + " " + last);
        }
      } catch (Exception e) {
        print("REPORT-ERROR " + e);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void print(String line) {
    synchronized (System.out) {
      System.out.println(line);
    }
  }

  /** Prints {@code REMOVED address} for every member removed from the cluster. */
  public static final class RemovalPrinter extends org.apache.pekko.actor.AbstractActor {
    @Override
    public void preStart() {
      org.apache.pekko.cluster.Cluster.get(getContext().getSystem()).subscribe(getSelf(),
          ClusterEvent.initialStateAsEvents(), ClusterEvent.MemberRemoved.class);
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().match(ClusterEvent.MemberRemoved.class,
          r -> print("REMOVED " + r.member().address())).build();
    }
  }
}
