package io.weir.stream.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.stream.CommittingSink;
import io.weir.stream.StreamTestKit;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobState;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.checkpoint.RestartStrategy;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job reading a log topic, counting per key in keyed state and writing through a
 * two-phase-commit sink, with failures injected at random points, commits output equal to the
 * model: every key's counts exactly 1..n in order — nothing lost, nothing duplicated.
 */
class CheckpointRecoveryTest {
  private static final int RECORDS = 3000;
  private static final int KEYS = 25;
  /** Per test: the processed-record counts at which the map throws. */
  private static final Map<String, Set<Long>> FAIL_AT = new ConcurrentHashMap<>();
  private static final Map<String, AtomicLong> PROCESSED = new ConcurrentHashMap<>();
  private static StreamTestKit kit;

  @BeforeAll
  static void start() {
    kit = new StreamTestKit();
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  /** args: topic, result name, parallelism, optionally the most concurrent checkpoints. */
  public static final class CountPerKey implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      String name = args.get(1);
      job.setParallelism(Integer.parseInt(args.get(2)));
      int concurrent = args.size() > 3 ? Integer.parseInt(args.get(3)) : 1;
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(concurrent > 1 ? 20 : 100))
          .withMaxConcurrent(concurrent));
      job.setRestartStrategy(RestartStrategy.fixedDelay(10, Duration.ofMillis(50)));
      job.fromLog(args.get(0), StartPosition.earliest())
          .map(r -> {
            long n = PROCESSED.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
            if (FAIL_AT.getOrDefault(name, Set.of()).contains(n)) {
              throw new IllegalStateException("injected failure at record " + n);
            }
            return r.keyString();
          }).name("Inject")
          .keyBy(k -> k)
          .process(new Count()).name("Count")
          .sinkTo(new CommittingSink(name)).name("Commit");
    }
  }

  /** Emits "key:count" with the count in keyed state. */
  static final class Count implements KeyedProcessFunction<String, String, String> {
    private ValueState<Long> count;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(ValueStateDescriptor.of("count", Long.class));
    }

    @Override
    public void processElement(String key, Context<String> ctx, Collector<String> out) {
      long next = count.value() == null ? 1 : count.value() + 1;
      count.update(next);
      out.collect(key + ":" + next);
    }
  }

  private static void produce(String topic, int records) throws Exception {
    StreamTestKit.await(kit.weir().log().createTopic(topic, 4, Map.of()));
    try (LogProducer producer = kit.weir().log().newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < records; i++) {
        producer.send(ProducerRecord.of(topic, "k" + (i % KEYS), "v" + i));
      }
      StreamTestKit.await(producer.flush());
    }
  }

  /** Waits until every record's count is committed, then checks them against the model. */
  private static JobStatus awaitModel(String name, String jobId) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (CommittingSink.committed(name).size() < RECORDS && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(500); // more would show as duplicates
    JobStatus status = StreamTestKit.await(kit.jobs().status(jobId));
    Map<String, List<Long>> perKey = new HashMap<>();
    for (String line : CommittingSink.committed(name)) {
      String[] parts = line.split(":");
      perKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
    }
    assertEquals(KEYS, perKey.size(), status.summary());
    for (int k = 0; k < KEYS; k++) {
      List<Long> counts = perKey.get("k" + k);
      List<Long> expected = new ArrayList<>();
      for (long c = 1; c <= RECORDS / KEYS; c++) {
        expected.add(c);
      }
      assertEquals(expected, counts, "key k" + k + ": lost, duplicated or reordered counts; "
          + status.summary());
    }
    return status;
  }

  @Test
  void injectedExceptionsRollBackToTheLastCheckpointWithoutLossOrDuplicates() throws Exception {
    String name = "faults";
    Random random = new Random(7);
    FAIL_AT.put(name, Set.of(300L + random.nextInt(1000), 1500L + random.nextInt(1000),
        2600L + random.nextInt(400)));
    produce("faults-in", RECORDS);
    JobStatus job = StreamTestKit.await(kit.jobs().submit(CountPerKey.class,
        List.of("faults-in", name, "2")));
    JobStatus status = awaitModel(name, job.jobId());
    // Three failures; two may fall into one attempt (the second before the first's teardown).
    assertTrue(status.restarts() >= 2 && status.restarts() <= 3, status.summary());
    assertEquals(JobState.RUNNING, status.state(), status.summary());
    assertTrue(status.failure().contains("injected failure"), status.failure());
    assertEquals("Inject", status.failedOperator());
    assertFalse(status.checkpoints().isEmpty(), "checkpoints are listed in the status");
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }

  /** args: result name. A fast unbounded source through a hash exchange into a slow sink. */
  public static final class SlowSink implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.generate(i -> "k" + (i % 10))
          .keyBy(k -> k)
          .process(new Count())
          .map(s -> {
            if (s.hashCode() % 8 == 0) {
              Thread.sleep(1); // far slower than the source: backpressure all the way up
            }
            return s;
          }).name("Slow")
          .sinkTo(new CommittingSink(args.get(0)));
    }
  }

  @Test
  void checkpointsCompleteUnderBackpressure() throws Exception {
    JobStatus job = StreamTestKit.await(kit.jobs().submit(SlowSink.class, List.of("slow")));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JobStatus status = job;
    while (status.checkpoints().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    }
    assertTrue(status.checkpoints().size() >= 2, "checkpoints complete while the sink is the"
        + " bottleneck: " + status.checkpoints());
    assertTrue(status.checkpoints().get(0).bytes() > 0, status.checkpoints().toString());
    // The committed counts are a prefix per key: nothing committed twice.
    Map<String, Long> last = new HashMap<>();
    for (String line : CommittingSink.committed("slow")) {
      String[] parts = line.split(":");
      long count = Long.parseLong(parts[1]);
      assertEquals(last.getOrDefault(parts[0], 0L) + 1, count, line);
      last.put(parts[0], count);
    }
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }

  private static void awaitCommitted(String name, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (CommittingSink.committed(name).size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(count, CommittingSink.committed(name).size(), name);
  }

  /** Every key's committed counts in {@code name}, in order. */
  private static Map<String, List<Long>> counts(String name) {
    Map<String, List<Long>> perKey = new HashMap<>();
    for (String line : CommittingSink.committed(name)) {
      String[] parts = line.split(":");
      perKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
    }
    return perKey;
  }

  @Test
  void savepointsRescaleTheJobTwoToThreeToOneKeepingEveryKeysState() throws Exception {
    String topic = "rescale-in";
    produce(topic, RECORDS);
    JobStatus first = StreamTestKit.await(kit.jobs().submit(CountPerKey.class,
        List.of(topic, "rescale-2", "2")));
    awaitCommitted("rescale-2", RECORDS);
    String savepoint = StreamTestKit.await(kit.jobs().savepoint(first.jobId(), true));
    assertEquals(JobState.CANCELED, StreamTestKit.await(kit.jobs().awaitTermination(
        first.jobId(), Duration.ofSeconds(30))).state());

    int per = RECORDS / KEYS;
    String[] names = {"rescale-3", "rescale-1"};
    int[] parallelism = {3, 1};
    for (int round = 0; round < 2; round++) {
      try (LogProducer producer = kit.weir().log().newProducer(ProducerSettings.defaults())) {
        for (int i = 0; i < KEYS * 10; i++) {
          producer.send(ProducerRecord.of(topic, "k" + (i % KEYS), "more" + i));
        }
        StreamTestKit.await(producer.flush());
      }
      JobStatus next = StreamTestKit.await(kit.jobs().submit(CountPerKey.class.getName(),
          List.of(topic, names[round], "2"),
          new io.weir.stream.api.SubmitOptions(savepoint, parallelism[round])));
      awaitCommitted(names[round], KEYS * 10);
      Map<String, List<Long>> counts = counts(names[round]);
      for (int k = 0; k < KEYS; k++) {
        List<Long> expected = new ArrayList<>();
        for (long c = per + 1; c <= per + 10; c++) {
          expected.add(c);
        }
        assertEquals(expected, counts.get("k" + k), "key k" + k + " after rescaling to "
            + parallelism[round] + ": its count went on from the savepoint");
      }
      savepoint = StreamTestKit.await(kit.jobs().savepoint(next.jobId(), true));
      per += 10;
    }
  }

  /** args: topic, result name. Counts per key; many checkpoints stay restorable. */
  public static final class CountRetaining implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(200)).withRetained(50));
      job.fromLog(args.get(0), StartPosition.earliest())
          .map(r -> r.keyString())
          .keyBy(k -> k)
          .process(new Count())
          .sinkTo(new CommittingSink(args.get(1)));
    }
  }

  @Test
  void anOlderRetainedCheckpointBecomesASavepointToGoBackTo() throws Exception {
    String topic = "retained-in";
    produce(topic, KEYS * 20);
    JobStatus job = StreamTestKit.await(kit.jobs().submit(CountRetaining.class,
        List.of(topic, "retained-a")));
    awaitCommitted("retained-a", KEYS * 20);
    // Everything committed: the latest checkpoint holds every key's count at 20.
    List<io.weir.stream.api.CheckpointStats> before =
        StreamTestKit.await(kit.jobs().status(job.jobId())).checkpoints();
    long older = before.get(before.size() - 1).id();
    try (LogProducer producer = kit.weir().log().newProducer(ProducerSettings.defaults())) {
      for (int i = 0; i < KEYS * 10; i++) {
        producer.send(ProducerRecord.of(topic, "k" + (i % KEYS), "later" + i));
      }
      StreamTestKit.await(producer.flush());
    }
    awaitCommitted("retained-a", KEYS * 30);
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
    StreamTestKit.await(kit.jobs().awaitTermination(job.jobId(), Duration.ofSeconds(30)));

    java.util.concurrent.ExecutionException missing = org.junit.jupiter.api.Assertions
        .assertThrows(java.util.concurrent.ExecutionException.class,
            () -> StreamTestKit.await(kit.jobs().savepointOf(job.jobId(), 999_999)));
    assertTrue(missing.getCause().getMessage().contains("no retained checkpoint 999999"),
        missing.getCause().getMessage());

    // The ended job's older checkpoint, kept as a savepoint: a job from it reads the later
    // records again and counts them on from 20.
    String savepoint = StreamTestKit.await(kit.jobs().savepointOf(job.jobId(), older));
    assertEquals(job.jobId() + "-savepoint-" + older, savepoint);
    JobStatus again = StreamTestKit.await(kit.jobs().submit(CountRetaining.class.getName(),
        List.of(topic, "retained-b"), new io.weir.stream.api.SubmitOptions(savepoint, null)));
    awaitCommitted("retained-b", KEYS * 10);
    Map<String, List<Long>> counts = counts("retained-b");
    for (int k = 0; k < KEYS; k++) {
      List<Long> expected = new ArrayList<>();
      for (long c = 21; c <= 30; c++) {
        expected.add(c);
      }
      assertEquals(expected, counts.get("k" + k), "key k" + k + " from checkpoint " + older);
    }
    StreamTestKit.await(kit.jobs().cancel(again.jobId()));
  }

  private static final java.util.concurrent.atomic.AtomicBoolean STUCK_ONCE =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * args: result name. A bounded pipeline into a two-phase sink, and an unbounded one whose map
   * gets stuck on one record, so the checkpoint in progress cannot complete, then fails.
   */
  public static final class StuckThenFailure implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
      job.setRestartStrategy(RestartStrategy.fixedDelay(3, Duration.ofMillis(100)));
      job.generate(i -> {
        if (i % 50 == 0) {
          Thread.sleep(20);
        }
        return "a" + i;
      }, 2000).setParallelism(1)
          .sinkTo(new CommittingSink(args.get(0))).setParallelism(1);
      job.generate(i -> i).setParallelism(1)
          .map(i -> {
            if (i == 300 && STUCK_ONCE.compareAndSet(false, true)) {
              Thread.sleep(1500);
              throw new IllegalStateException("injected failure after being stuck");
            }
            return "b" + i;
          }).setParallelism(1)
          .filter(s -> false)
          .sinkTo(new io.weir.stream.CollectSink<>(args.get(0) + "-other"));
    }
  }

  @Test
  void whatAFailedAttemptPrecommittedBeyondTheLatestCheckpointIsAborted() throws Exception {
    String name = "aborting";
    JobStatus job = StreamTestKit.await(kit.jobs().submit(StuckThenFailure.class,
        List.of(name)));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while ((CommittingSink.committed(name).size() < 2000
        || CommittingSink.aborts(name) == 0) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(500); // more would show as duplicates
    JobStatus status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    assertTrue(CommittingSink.aborts(name) >= 1, "the pre-commit of the checkpoint the failure"
        + " cut short was aborted: " + status.summary());
    List<String> committed = CommittingSink.committed(name);
    assertEquals(2000, committed.size(), "each record once, the aborted ones replayed: "
        + status.summary());
    assertEquals(2000, new java.util.HashSet<>(committed).size());
    assertTrue(status.restarts() >= 1, status.summary());
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }

  @Test
  void concurrentCheckpointsStayExactlyOnce() throws Exception {
    String name = "concurrent";
    FAIL_AT.put(name, Set.of(700L, 1900L));
    produce("concurrent-in", RECORDS);
    JobStatus job = StreamTestKit.await(kit.jobs().submit(CountPerKey.class,
        List.of("concurrent-in", name, "2", "3")));
    JobStatus status = awaitModel(name, job.jobId());
    assertTrue(status.restarts() >= 1, status.summary());
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }

  /** At-least-once, two checkpoints at a time, under backpressure. */
  public static final class AtLeastOnce implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(30))
          .withMode(io.weir.stream.api.checkpoint.CheckpointingMode.AT_LEAST_ONCE)
          .withMaxConcurrent(2));
      job.generate(i -> "k" + (i % 10))
          .keyBy(k -> k)
          .process(new Count())
          .rebalance()
          .map(s -> {
            if (s.hashCode() % 10 == 0) {
              Thread.sleep(1); // slower than the source, not so slow that barriers take long
            }
            return s;
          })
          .sinkTo(new CommittingSink("at-least-once"));
    }
  }

  @Test
  void atLeastOnceCheckpointsCountEachBarrierApart() throws Exception {
    JobStatus job = StreamTestKit.await(kit.jobs().submit(AtLeastOnce.class, List.of()));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JobStatus status = job;
    while (status.checkpoints().size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      status = StreamTestKit.await(kit.jobs().status(job.jobId()));
    }
    assertTrue(status.checkpoints().size() >= 3, status.checkpoints().toString());
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }

  @Test
  void aStoppedSubtaskEntityRollsTheJobBack() throws Exception {
    String name = "stopped";
    produce("stopped-in", RECORDS);
    JobStatus job = StreamTestKit.await(kit.jobs().submit(CountPerKey.class,
        List.of("stopped-in", name, "2")));
    // Once some output is committed, stop the entity of one Count subtask.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (CommittingSink.committed(name).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    var system = kit.weir().system().classicSystem();
    ActorRef entity = system.actorSelection("/system/sharding/weir-subtask/*/"
            + java.net.URLEncoder.encode(job.jobId() + "/2-count/1", "UTF-8"))
        .resolveOne(Duration.ofSeconds(5)).toCompletableFuture().get();
    system.stop(entity);
    JobStatus status = awaitModel(name, job.jobId());
    assertTrue(status.restarts() >= 1, status.summary());
    assertTrue(status.failure().contains("stopped"), status.failure());
    StreamTestKit.await(kit.jobs().cancel(job.jobId()));
  }
}
