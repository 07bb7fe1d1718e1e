package io.weir.node.cli;

import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.RecordMetadata;
import io.weir.node.WeirNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code weir produce TOPIC}: appends one record per line of standard input. */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = "Append one record per line of standard input to a topic.")
public final class ProduceCommand implements Callable<Integer> {
  @Mixin NodeOptions node;
  @Parameters(paramLabel = "TOPIC", description = "The topic to append to.") String topic;
  @Option(names = "--key-separator", paramLabel = "SEP",
      description = "Split each line at the first SEP into key and value (lines without it "
          + "have no key).") String keySeparator;
  @Option(names = "--partition", paramLabel = "P",
      description = "Write to this partition instead of choosing by key.") Integer partition;

  @Override
  public Integer call() throws IOException {
    try (WeirNode n = node.start()) {
      List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
      try (LogProducer producer = n.weir().log().newProducer(ProducerSettings.defaults());
           BufferedReader in = new BufferedReader(
               new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          String key = null;
          String value = line;
          int at = keySeparator == null ? -1 : line.indexOf(keySeparator);
          if (at >= 0) {
            key = line.substring(0, at);
            value = line.substring(at + keySeparator.length());
          }
          ProducerRecord record = ProducerRecord.of(topic, key, value);
          sent.add(producer.send(partition == null ? record : record.withPartition(partition))
              .toCompletableFuture());
        }
      }
      for (CompletableFuture<RecordMetadata> f : sent) {
        Blocking.await(f);
      }
      System.err.println("weir: produced " + sent.size() + " record"
          + (sent.size() == 1 ? "" : "s") + " to " + topic);
      return 0;
    }
  }
}
