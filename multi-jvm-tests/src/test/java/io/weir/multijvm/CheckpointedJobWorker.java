package io.weir.multijvm;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.StartPosition;
import io.weir.node.NodeLauncher;
import io.weir.node.WeirNode;
import io.weir.stream.api.Collector;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.JobStatus;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.checkpoint.CheckpointConfig;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node on a data directory that runs {@link CountJob}: with {@code submit} it submits the job
 * first and prints {@code SUBMITTED <id>}; without, the node resumes the job from its latest
 * checkpoint. Prints {@code STATUS <state> <attempt>} every 200 ms. Killed by the test.
 */
public final class CheckpointedJobWorker {
  private CheckpointedJobWorker() {}

  /** Counts per key, checkpointed every 100 ms, committed to a directory. */
  public static final class CountJob implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.setParallelism(2);
      job.enableCheckpointing(CheckpointConfig.every(Duration.ofMillis(100)));
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
              Thread.sleep(2); // slow enough to be killed mid-stream
              long next = count.value() == null ? 1 : count.value() + 1;
              count.update(next);
              out.collect(key + ":" + next);
            }
          }).name("Count")
          .sinkTo(new FileCommitSink(args.get(1))).name("Files");
    }
  }

  /** Arguments: data directory, input topic, output directory, and optionally "submit". */
  public static void main(String[] args) throws Exception {
    // Small batches and buffers: barriers are not queued behind seconds of slow records.
    WeirNode node = NodeLauncher.defaults().withDataDir(Path.of(args[0]))
        .withConfig("weir.stream.batch-size", 32)
        .withConfig("weir.stream.exchange-buffer", 2)
        .start();
    String jobId = null;
    if (args.length > 3 && args[3].equals("submit")) {
      JobStatus submitted = node.weir().jobs().submit(CountJob.class, List.of(args[1], args[2]))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      jobId = submitted.jobId();
      System.out.println("SUBMITTED " + jobId);
    } else {
      jobId = node.weir().jobs().list().toCompletableFuture().get(30, TimeUnit.SECONDS).get(0)
          .jobId();
    }
    while (true) {
      JobStatus s = node.weir().jobs().status(jobId).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      System.out.println("STATUS " + s.state() + " " + s.attempt());
      Thread.sleep(200);
    }
  }
}
