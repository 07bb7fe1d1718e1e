package io.weir.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.connectors.kafka.KafkaBroker;
import io.weir.connectors.kafka.KafkaTopics;
import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Pipelines with {@code type: kafka} sources and sinks, against a real Kafka broker. */
class PipelineKafkaTest {
  private static KafkaBroker broker;
  @TempDir Path temp;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  @Test
  void aGeneratorWritesToKafkaExactlyOnce() throws Exception {
    broker.createTopic("gen-out", 2);
    Path file = temp.resolve("gen-to-kafka.yaml");
    Files.writeString(file, """
        pipeline: { name: gen-to-kafka, parallelism: 2, checkpoint-interval: 200ms }
        source:
          type: generator
          table: orders
          count: 40
          columns: { id: sequence, status: "one-of new, paid" }
        route:
          - { source-table: orders, sink-table: gen-out }
        sink:
          type: kafka
          bootstrap-servers: %s
          delivery: exactly-once
          key: [id]
        """.formatted(broker.bootstrapServers()));
    Run r = run("pipeline", "run", file.toString(), "--data-dir",
        temp.resolve("data").toString());
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("FINISHED"), r.out());
    List<String> values = KafkaTopics.values(broker.bootstrapServers(), "gen-out",
        "read_committed", 40);
    assertEquals(40, values.size(), values.toString());
    assertEquals(IntStream.range(0, 40).mapToObj(i -> "\"id\":" + i + ",").sorted().toList(),
        values.stream().map(v -> v.substring(v.indexOf("\"id\""), v.indexOf(',') + 1))
            .sorted().toList());
  }

  @Test
  void kafkaRecordsFlowIntoALogTopic() throws Exception {
    broker.createTopic("k-orders", 2);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      producer.send(new ProducerRecord<>("k-orders", 0, "1", "{\"id\":1,\"total\":250}"));
      producer.send(new ProducerRecord<>("k-orders", 1, "2", "{\"id\":2,\"total\":5}"));
      producer.send(new ProducerRecord<>("k-orders", 1, "3", "{\"id\":3,\"total\":120}"));
    }
    String dir = temp.resolve("from-kafka").toString();
    Path file = temp.resolve("from-kafka.yaml");
    Files.writeString(file, """
        pipeline: { checkpoint-interval: 300ms }
        source:
          type: kafka
          bootstrap-servers: %s
          topics: [k-orders]
          group-id: weir-pipeline
          starting-offsets: earliest
          format: json
        transform:
          - { source-table: k-orders, filter: total >= 100 }
        sink: { type: log, topic: big, key: [id], partitions: 1 }
        """.formatted(broker.bootstrapServers()));
    Run submit = run("pipeline", "run", file.toString(), "--detach", "--data-dir", dir);
    assertEquals(0, submit.exitCode(), submit.out() + submit.err());
    try (WeirNode node = WeirNode.start(Path.of(dir))) {  // resumes the job
      List<String> out = node.weir().log().source("big", StartPosition.earliest())
          .take(2).takeWithin(Duration.ofSeconds(60))
          .map(rec -> rec.keyString() + "=" + rec.valueString())
          .runWith(Sink.seq(), node.system()).toCompletableFuture().get(90, TimeUnit.SECONDS);
      assertEquals(List.of("1={\"id\":1,\"total\":250}", "3={\"id\":3,\"total\":120}"),
          out.stream().sorted().toList());
    }
  }
}
