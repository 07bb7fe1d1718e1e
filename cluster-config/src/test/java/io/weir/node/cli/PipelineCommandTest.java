package io.weir.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.lakehouse.Lakehouse;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.log.api.LogProducer;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.ProducerSettings;
import io.weir.log.api.StartPosition;
import io.weir.node.WeirNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weir pipeline run|validate}, in-process, on real nodes, topics and tables. */
class PipelineCommandTest {
  @TempDir Path temp;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = WeirCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private Path file(String name, String yaml) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void aGeneratorFilteredAndProjectedLandsInALogTopic() throws Exception {
    String dir = temp.resolve("data").toString();
    Path file = file("gen-to-log.yaml", """
        pipeline: { name: gen-to-log, parallelism: 2 }
        source:
          type: generator
          table: demo.orders
          count: 50
          columns:
            id: sequence
            status: one-of new, paid
            total: double 0..10
        transform:
          - source-table: demo.orders
            filter: id >= 10 AND id < 20
            projection: [id, status]
        route:
          - source-table: demo.*
            sink-table: out-${table}
        sink: { type: log, key: [id], partitions: 2 }
        """);
    Run r = run("pipeline", "run", file.toString(), "--data-dir", dir);
    assertEquals(0, r.exitCode(), r.out() + r.err());
    assertTrue(r.out().contains("Created topic out-orders."), r.out());
    assertTrue(r.out().contains("FINISHED"), r.out());
    try (WeirNode node = WeirNode.start(Path.of(dir))) {
      List<String> lines = node.weir().log().source("out-orders", StartPosition.earliest())
          .takeWithin(Duration.ofSeconds(3))
          .map(rec -> rec.keyString() + "\t" + rec.valueString())
          .runWith(Sink.seq(), node.system()).toCompletableFuture().get(30, TimeUnit.SECONDS)
          .stream().sorted().toList();
      assertEquals(10, lines.size(), String.join("\n", lines));
      for (int i = 0; i < 10; i++) {
        String line = lines.get(i);
        assertTrue(line.startsWith("1" + i + "\t{\"id\":1" + i + ",\"status\":\""), line);
        assertFalse(line.contains("total"), line);
        assertTrue(line.matches(".*\"status\":\"(new|paid)\"}"), line);
      }
    }
  }

  @Test
  void aGeneratorUpsertsIntoAnIcebergTableReadBackWithIceberg() throws Exception {
    String dir = temp.resolve("lake").toString();
    Path file = file("gen-to-lake.yaml", """
        pipeline:
          name: gen-to-lake
          checkpoint-interval: 500ms
        source:
          type: generator
          table: demo.orders
          count: 40
          columns:
            id: sequence
            amount: long 100..200
            note: text
        transform:
          - source-table: demo.orders
            projection: id, amount
            filter: id < 20
        route:
          - source-table: demo.orders
            sink-table: lake.orders
        sink:
          type: iceberg
          mode: upsert
          primary-key: [id]
        """);
    Run first = run("pipeline", "run", file.toString(), "--data-dir", dir);
    assertEquals(0, first.exitCode(), first.out() + first.err());
    assertTrue(first.out().contains("Created table lake.orders."), first.out());
    // Again: the same keys are replaced, not added.
    Run second = run("pipeline", "run", file.toString(), "--data-dir", dir);
    assertEquals(0, second.exitCode(), second.out() + second.err());
    assertFalse(second.out().contains("Created table"), second.out());

    try (Lakehouse lake = Lakehouse.open(LakehouseSettings.at(Path.of(dir, "lakehouse")))) {
      assertEquals(List.of("id", "amount"), lake.loadTable("lake.orders").schema().columns()
          .stream().map(Types.NestedField::name).toList());
      List<Record> rows = lake.read("lake.orders");
      assertEquals(20, rows.size(), rows.toString());
      List<Long> ids = rows.stream().map(rec -> (Long) rec.getField("id")).sorted().toList();
      assertEquals(java.util.stream.LongStream.range(0, 20).boxed().toList(), ids);
      for (Record rec : rows) {
        long amount = (Long) rec.getField("amount");
        assertTrue(amount >= 100 && amount <= 200, rec.toString());
      }
      assertEquals(2, lake.loadTable("lake.orders").history().size());
    }
  }

  @Test
  void validatePrintsThePlanOrTheLineAtFault() throws Exception {
    Path good = file("good.yaml", """
        source: { type: log, topic: orders }
        transform:
          - { source-table: orders, filter: "total > 100" }
        route:
          - { source-table: "*", sink-table: big-orders }
        sink: { type: log }
        """);
    Run ok = run("pipeline", "validate", good.toString());
    assertEquals(0, ok.exitCode(), ok.err());
    assertEquals(List.of("Pipeline good is valid: parallelism 1, no checkpoints.",
        "Source: log topic orders from earliest.",
        "  orders -> big-orders  where total > 100",
        "Sink: log topics."), ok.out().lines().toList());

    Path bad = file("bad.yaml", """
        source: { type: log, topic: orders }
        sink:
          type: log
          partitions: many
        """);
    for (String command : List.of("validate", "run")) {
      Run r = command.equals("run")
          ? run("pipeline", command, bad.toString(), "--data-dir", temp.resolve("bad").toString())
          : run("pipeline", command, bad.toString());
      assertEquals(1, r.exitCode(), r.out() + r.err());
      assertEquals(List.of("weir: bad.yaml line 4: 'partitions' under 'sink' must be a whole"
          + " number from 1 to 10000, was 'many'"), r.err().lines().toList());
    }
    Run missing = run("pipeline", "validate", temp.resolve("nope.yaml").toString());
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("no such file"), missing.err());
    assertFalse(missing.err().contains("\tat "), missing.err());
  }

  @Test
  void theSampleFilesAreValid() throws Exception {
    Path samples = Path.of("..", "samples", "pipelines");
    try (var files = Files.list(samples)) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertEquals(3, yaml.size(), yaml.toString());
      for (Path f : yaml) {
        Run r = run("pipeline", "validate", f.toString());
        assertEquals(0, r.exitCode(), f + ": " + r.err());
      }
    }
  }

  @Test
  void aDetachedPipelineFromALogTopicRunsUnderANode() throws Exception {
    String dir = temp.resolve("from-log").toString();
    assertEquals(0, run("topic", "create", "orders", "--partitions", "1", "--data-dir", dir)
        .exitCode());
    try (WeirNode node = WeirNode.start(Path.of(dir));
        LogProducer producer = node.weir().log().newProducer(ProducerSettings.defaults())) {
      producer.send(ProducerRecord.of("orders", "1", "{\"id\":1,\"total\":250,\"who\":\"ada\"}"));
      producer.send(ProducerRecord.of("orders", "2", "{\"id\":2,\"total\":5,\"who\":\"bob\"}"));
      producer.send(ProducerRecord.of("orders", "3", (String) null)); // a tombstone: skipped
      // A Debezium envelope, as `weir cdc` writes: a delete of row 1.
      producer.send(ProducerRecord.of("orders", "1", "{\"before\":{\"id\":1,\"total\":250,"
          + "\"who\":\"ada\"},\"after\":null,\"op\":\"d\"}"));
      producer.flush().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    Path file = file("from-log.yaml", """
        pipeline: { checkpoint-interval: 300ms }
        source: { type: log, topic: orders }
        transform:
          - { source-table: orders, filter: total >= 100, projection: "id, who" }
        sink: { type: log, topic: big, key: [id], partitions: 1 }
        """);
    Run submit = run("pipeline", "run", file.toString(), "--detach", "--data-dir", dir);
    assertEquals(0, submit.exitCode(), submit.out() + submit.err());
    assertTrue(submit.out().contains("Created topic big."), submit.out());
    String jobId = submit.out().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(jobId.startsWith("pipelinejob-"), submit.out());
    assertTrue(submit.err().contains("pipeline from-log submitted as job " + jobId),
        submit.err());

    Run list = run("job", "list", "--data-dir", dir);
    List<String> rows = list.out().lines().toList();
    assertEquals(2, rows.size(), list.out());  // the header and the job, on one line
    assertTrue(rows.get(1).startsWith(jobId + " ") && rows.get(1).endsWith(
        "io.weir.node.pipeline.PipelineJob from-log " + Path.of(dir, "lakehouse")
            + " pipeline: { checkpoint-interval: 300ms }...(" + Files.readString(file).length()
            + " chars)"), list.out());

    try (WeirNode node = WeirNode.start(Path.of(dir))) {  // resumes the job
      List<String> out = node.weir().log().source("big", StartPosition.earliest())
          .take(2).takeWithin(Duration.ofSeconds(60))
          .map(rec -> rec.keyString() + "=" + rec.valueString())
          .runWith(Sink.seq(), node.system()).toCompletableFuture().get(90, TimeUnit.SECONDS);
      assertEquals(List.of("1={\"id\":1,\"who\":\"ada\"}", "1=null"), out);
    }
  }

  @Test
  void aPrintSinkWritesEachRowToStandardOutput() throws Exception {
    Path file = file("print.yaml", """
        source:
          type: generator
          table: demo.t
          count: 3
          columns: { id: sequence, flag: boolean }
        transform:
          - { source-table: "*", projection: id }
        sink: { type: print }
        """);
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    Run r;
    try {
      r = run("pipeline", "run", file.toString(), "--data-dir", temp.resolve("print").toString());
    } finally {
      System.setOut(original);
    }
    assertEquals(0, r.exitCode(), r.out() + r.err());
    List<String> printed = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("demo.t c ")).map(l -> l.substring(l.indexOf("demo.t")))
        .sorted().toList();
    assertEquals(List.of("demo.t c {\"id\":0}", "demo.t c {\"id\":1}", "demo.t c {\"id\":2}"),
        printed, captured.toString());
  }

  @Test
  void anAppendSinkCreatesItsTableWithTheGivenColumnsAndAddsEveryRun() throws Exception {
    String dir = temp.resolve("append").toString();
    Path file = file("append.yaml", """
        source:
          type: generator
          table: events
          count: 10
          columns: { id: sequence, kind: "one-of a, b" }
        sink:
          type: iceberg
          table: lake.events
          columns: { id: int, kind: string, extra: string }
          partition-by: kind
        """);
    for (int i = 0; i < 2; i++) {
      Run r = run("pipeline", "run", file.toString(), "--data-dir", dir);
      assertEquals(0, r.exitCode(), r.out() + r.err());
    }
    try (Lakehouse lake = Lakehouse.open(LakehouseSettings.at(Path.of(dir, "lakehouse")))) {
      org.apache.iceberg.Table table = lake.loadTable("lake.events");
      assertEquals(Types.IntegerType.get(), table.schema().findType("id"));
      assertEquals("[kind]", table.spec().fields().stream().map(f -> f.name()).toList()
          .toString());
      List<Record> rows = lake.read("lake.events");
      assertEquals(20, rows.size());
      assertTrue(rows.stream().allMatch(rec -> rec.getField("extra") == null
          && List.of("a", "b").contains(rec.getField("kind"))), rows.toString());
    }
  }
}
