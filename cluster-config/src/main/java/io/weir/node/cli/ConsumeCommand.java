package io.weir.node.cli;

import io.weir.log.api.CommittableRecord;
import io.weir.log.api.CommitterSettings;
import io.weir.log.api.ConsumerGroupSettings;
import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.Control;
import io.weir.log.api.Log;
import io.weir.log.api.OffsetReset;
import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code weir consume TOPIC}: prints records of a topic, one per line. */
@Command(name = "consume", mixinStandardHelpOptions = true,
    description = "Print records of a topic, one per line, as they arrive.")
public final class ConsumeCommand implements Callable<Integer> {
  @Mixin NodeOptions node;
  @Spec CommandSpec spec;
  @Parameters(paramLabel = "TOPIC", description = "The topic to read.") String topic;
  @Option(names = "--from-beginning", description = "Start at the oldest retained record "
      + "(default: only records appended from now on).") boolean fromBeginning;
  @Option(names = "--partition", paramLabel = "P", description = "Read only this partition.")
  Integer partition;
  @Option(names = "--offset", paramLabel = "O",
      description = "Start at this offset (needs --partition).") Long offset;
  @Option(names = "--max-messages", paramLabel = "N", description = "Stop after N records.")
  Long maxMessages;
  @Option(names = "--timeout-ms", paramLabel = "MS",
      description = "Stop when no record arrives for MS milliseconds.") Long timeoutMs;
  @Option(names = "--group", paramLabel = "GROUP",
      description = "Read as a member of this consumer group, from its committed offsets, and "
          + "commit what was printed (with --from-beginning, partitions the group has no "
          + "offset for start at the oldest record).") String group;
  @Option(names = "--print-key", description = "Print the key before the value, tab-separated.")
  boolean printKey;
  @Option(names = "--print-offset",
      description = "Print partition:offset before each record, tab-separated.")
  boolean printOffset;

  @Override
  public Integer call() throws InterruptedException {
    if (offset != null && partition == null) {
      throw new ParameterException(spec.commandLine(), "--offset needs --partition");
    }
    if (group != null && (partition != null || offset != null)) {
      throw new ParameterException(spec.commandLine(),
          "--group reads the partitions the group assigns; drop --partition and --offset");
    }
    if (group != null) {
      return consumeInGroup();
    }
    StartPosition start = offset != null ? StartPosition.offset(offset)
        : fromBeginning ? StartPosition.earliest() : StartPosition.latest();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    AtomicLong count = new AtomicLong();
    try (WeirNode n = node.start()) {
      Source<ConsumerRecord, NotUsed> records = partition == null
          ? n.weir().log().source(topic, start)
          : n.weir().log().source(topic, partition, start);
      if (maxMessages != null) {
        records = records.take(maxMessages);
      }
      if (timeoutMs != null) {
        records = records.idleTimeout(Duration.ofMillis(timeoutMs));
      }
      try {
        records.runWith(Sink.foreach(r -> {
          out.println(format(r));
          count.incrementAndGet();
        }), n.system()).toCompletableFuture().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TimeoutException)) {
          Blocking.await(java.util.concurrent.CompletableFuture.failedFuture(e.getCause()));
        }
      } finally {
        out.flush();
      }
    }
    System.err.println("weir: consumed " + count.get() + " record" + (count.get() == 1 ? "" : "s"));
    return 0;
  }

  /** Reads as a group member, prints, commits what was printed, and leaves the group. */
  private int consumeInGroup() {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    AtomicLong count = new AtomicLong();
    try (WeirNode n = node.start()) {
      Log log = n.weir().log();
      Source<CommittableRecord, Control> records = log.committableSource(
          ConsumerGroupSettings.of(group, topic).withClientId("weir-consume")
              .withAutoOffsetReset(fromBeginning ? OffsetReset.EARLIEST : OffsetReset.LATEST));
      if (maxMessages != null) {
        records = records.take(maxMessages);
      }
      if (timeoutMs != null) {
        // Ending on idleness completes the stream, so the committer commits its last batch.
        records = records.idleTimeout(Duration.ofMillis(timeoutMs))
            .recoverWithRetries(1, TimeoutException.class, Source::empty);
      }
      Pair<Control, CompletionStage<Done>> running = records
          .map(r -> {
            out.println(format(r.record()));
            count.incrementAndGet();
            return r.committableOffset();
          })
          .toMat(log.committerSink(CommitterSettings.defaults()), Keep.both())
          .run(n.system());
      try {
        Blocking.await(running.second());
      } finally {
        out.flush();
        Blocking.await(running.first().stop());
      }
    }
    System.err.println("weir: consumed " + count.get() + " record" + (count.get() == 1 ? "" : "s"));
    return 0;
  }

  private String format(ConsumerRecord r) {
    StringBuilder line = new StringBuilder();
    if (printOffset) {
      line.append(r.partition()).append(':').append(r.offset()).append('\t');
    }
    if (printKey) {
      line.append(r.keyString()).append('\t');
    }
    return line.append(r.valueString()).toString();
  }
}
