package io.weir.node.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.connectors.transforms.Row;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pipeline files: what a good one means, and what each malformed one is told. */
class PipelineFileTest {
  private static final String GOOD = """
      pipeline:
        name: orders-to-lake
        parallelism: 2
        checkpoint-interval: 5s
      source:
        type: generator
        table: demo.orders
        count: 100
        columns:
          id: sequence
          total: double 0..500
          status: one-of new, paid, shipped
      transform:
        - source-table: demo.orders
          projection: id, total AS amount
          filter: total > 100 and status <> 'new'
      route:
        - source-table: demo.*
          sink-table: lake.${table}
      sink:
        type: iceberg
        mode: upsert
        primary-key: [id]
      """;

  private static PipelineFileException error(String yaml) {
    return assertThrows(PipelineFileException.class, () -> Pipeline.parse(yaml, "p"));
  }

  @Test
  void aGoodFileMeansWhatItSays() {
    Pipeline p = Pipeline.parse(GOOD, "file-name");
    assertEquals("orders-to-lake", p.name());
    assertEquals(2, p.parallelism());
    assertEquals(Duration.ofSeconds(5), p.checkpointInterval());
    Pipeline.Generator g = assertInstanceOf(Pipeline.Generator.class, p.source());
    assertEquals(100L, g.count());
    assertEquals(List.of("id", "total", "status"),
        g.columns().stream().map(GeneratedColumn::name).toList());
    Pipeline.IcebergSinkSpec sink = assertInstanceOf(Pipeline.IcebergSinkSpec.class, p.sink());
    assertTrue(sink.upsert());
    assertEquals(List.of("id"), sink.primaryKey());

    PipelinePlan plan = new PipelinePlan(p);
    assertEquals(Map.of("lake.orders", List.of("demo.orders")), plan.targets());
    assertEquals(Map.of("id", "long", "amount", "double"),
        plan.targetColumns("lake.orders").orElseThrow());
    Row kept = new Row("demo", "orders", "c", false,
        Map.of("id", 1L, "total", 120.5, "status", "paid"));
    assertEquals(Map.of("id", 1L, "amount", 120.5),
        plan.transform(kept).orElseThrow().values());
    assertTrue(plan.transform(new Row("demo", "orders", "c", false,
        Map.of("id", 2L, "total", 120.5, "status", "new"))).isEmpty());
    assertTrue(plan.transform(new Row("demo", "orders", "c", false,
        Map.of("id", 3L, "total", 99, "status", "paid"))).isEmpty());
  }

  @Test
  void defaultsWhenOnlySourceAndSinkAreGiven() {
    Pipeline p = Pipeline.parse("""
        source: { type: log, topic: orders }
        sink: { type: print }
        """, "from-file");
    assertEquals("from-file", p.name());
    assertEquals(1, p.parallelism());
    assertNull(p.checkpointInterval());
    assertEquals("earliest", ((Pipeline.LogSource) p.source()).start());
    assertEquals("orders", new PipelinePlan(p).targetOf("orders"));
  }

  @Test
  void anUnknownKeyNamesItsLineAndTheKeysExpected() {
    PipelineFileException e = error("""
        pipeline:
          name: x
        source:
          type: generator
          columns: { id: sequence }
        # the sink, misspelt
        sinc:
          type: print
        """);
    assertEquals(7, e.line());
    assertEquals("line 7: unknown key 'sinc' at the top level; expected one of pipeline, source,"
        + " transform, route, sink", e.getMessage());
    PipelineFileException nested = error("""
        source:
          type: log
          topic: t
          offset: 5
        sink: { type: print }
        """);
    assertEquals("line 4: unknown key 'offset' under 'source'; expected one of type, name,"
        + " topic, start", nested.getMessage());
  }

  @Test
  void aMissingKeyNamesTheMappingThatLacksIt() {
    assertEquals("line 1: missing key 'sink' at the top level; expected a mapping with a type:"
        + " one of log, iceberg, print, kafka", error("""
        source: { type: log, topic: t }
        """).getMessage());
    assertEquals("line 2: missing key 'topic' under 'source'; expected a topic name", error("""
        source:
          type: log
        sink: { type: print }
        """).getMessage());
    assertEquals("line 4: missing key 'primary-key' under 'sink'; expected the key columns of"
        + " an upsert sink, such as [id]", error("""
        source: { type: log, topic: t }
        sink:
          # upsert needs a key
          type: iceberg
          mode: upsert
        """).getMessage());
    assertEquals("line 2: missing key 'sink-table' under 'route' item 1; expected a table or"
        + " topic name", error("""
        route:
          - source-table: a.b
        source: { type: log, topic: t }
        sink: { type: print }
        """).getMessage());
  }

  @Test
  void aValueOfTheWrongKindSaysWhatWasExpected() {
    assertEquals("line 3: 'parallelism' under 'pipeline' must be a whole number from 1 to"
        + " 128, was 'two'", error("""
        pipeline:
          name: x
          parallelism: two
        source: { type: log, topic: t }
        sink: { type: print }
        """).getMessage());
    assertEquals("line 2: 'checkpoint-interval' under 'pipeline' must be a duration such as"
        + " 500ms, 5s, 1m or 1h, was '5 sekunden'", error("""
        pipeline:
          checkpoint-interval: 5 sekunden
        source: { type: log, topic: t }
        sink: { type: print }
        """).getMessage());
    assertEquals("line 1: 'source' at the top level must be a mapping of keys to values, was"
        + " 'generator'", error("""
        source: generator
        sink: { type: print }
        """).getMessage());
    assertEquals("line 4: 'count' under 'source' must be a whole number, 0 or more, was '-3'",
        error("""
        source:
          type: generator
          columns: { id: sequence }
          count: -3
        sink: { type: print }
        """).getMessage());
  }

  @Test
  void anUnknownTypeListsTheTypes() {
    assertEquals("line 2: unknown type 'mysql' under 'source'; expected one of generator, log,"
        + " postgres, kafka", error("""
        source:
          type: mysql
        sink: { type: print }
        """).getMessage());
    assertEquals("line 3: unknown type 'pulsar' under 'sink'; expected one of log, iceberg,"
        + " print, kafka", error("""
        source: { type: log, topic: t }
        sink:
          type: pulsar
        """).getMessage());
    assertEquals("line 4: unknown mode 'merge' under 'sink'; expected one of append, upsert",
        error("""
        source: { type: log, topic: t }
        sink:
          type: iceberg
          mode: merge
        """).getMessage());
  }

  @Test
  void badFiltersColumnsAndPatternsAreNamedWithTheirLines() {
    assertEquals("line 4: 'filter' under 'transform' item 1 is not a valid condition, at"
        + " position 4: the condition ends; expected a column or a literal", error("""
        source: { type: log, topic: t }
        transform:
          - source-table: t
            filter: "a > "
        sink: { type: print }
        """).getMessage());
    assertEquals("line 5: column 'total' under 'columns': unknown kind 'money'; expected"
        + " sequence, long LOW..HIGH, double LOW..HIGH, one-of A, B, C, text or boolean",
        error("""
        source:
          type: generator
          columns:
            id: sequence
            total: money
        sink: { type: print }
        """).getMessage());
    assertEquals("line 3: 'b' under 'columns' must be a text value, was empty (inside { } a"
        + " comma ends an entry: quote a value that holds commas)", error("""
        source:
          type: generator
          columns: { id: sequence, kind: one-of a, b }
        sink: { type: print }
        """).getMessage());
    assertEquals("line 3: 'source-table' under 'route' item 1 is not a valid regular"
        + " expression: Unclosed group", error("""
        source: { type: log, topic: t }
        route:
          - source-table: "public\\\\.(orders"
            sink-table: x
        sink: { type: print }
        """).getMessage());
    assertEquals("line 4: 'upper(name)' in 'projection' under 'transform' item 1 is not a"
        + " column; expected a column name or 'column AS name' (expressions are not supported)",
        error("""
        source: { type: log, topic: t }
        transform:
          - source-table: t
            projection: id, upper(name)
        sink: { type: print }
        """).getMessage());
    PipelineFileException uncommitted = assertThrows(PipelineFileException.class,
        () -> new PipelinePlan(Pipeline.parse("""
            source: { type: log, topic: t }
            sink:
              type: iceberg
              columns: { id: long }
            """, "p")));
    assertEquals("line 3: an Iceberg sink commits with the checkpoints and this source does"
        + " not end; expected 'checkpoint-interval' under 'pipeline'", uncommitted.getMessage());
    assertEquals("line 2: a PostgreSQL source confirms its slot's position with the checkpoints"
        + " and does not end; expected 'checkpoint-interval' under 'pipeline'", error("""
        source:
          type: postgres
          database: shop
          tables: orders
        sink: { type: print }
        """).getMessage());
    PipelineFileException column = assertThrows(PipelineFileException.class,
        () -> new PipelinePlan(Pipeline.parse("""
            source:
              type: generator
              columns: { id: sequence, total: double 0..9 }
            transform:
              - source-table: generator
                projection: id, totl
            sink: { type: print }
            """, "p")));
    assertEquals("line 5: the transform of table generator names column 'totl', which the"
        + " table does not have; expected one of id, total", column.getMessage());
  }

  @Test
  void brokenYamlAndDuplicateKeysAreNamedWithTheirLines() {
    PipelineFileException syntax = error("""
        source:
          type: log
         topic: t
        sink: { type: print }
        """);
    assertEquals(3, syntax.line(), syntax.getMessage());
    assertEquals("line 3: not valid YAML: expected <block end>, but found '<block mapping"
        + " start>' (while parsing a block mapping)", syntax.getMessage());
    assertEquals("line 3: key 'type' appears twice under 'source'", error("""
        source:
          type: log
          type: generator
        sink: { type: print }
        """).getMessage());
    assertEquals("the file is empty; expected the keys source and sink, and optionally"
        + " pipeline, transform and route", error("# nothing\n").getMessage());
  }

  @Test
  void filtersFollowSqlsRules() {
    FilterExpression f = FilterExpression.parse(
        "NOT (status IN ('new', 'void')) AND (total >= 100.5 OR vip = true) AND note IS NULL");
    assertTrue(f.test(Map.of("status", "paid", "total", 200L, "vip", false)));
    assertTrue(f.test(Map.of("status", "paid", "total", 1, "vip", true)));
    assertFalse(f.test(Map.of("status", "new", "total", 200L, "vip", false)));
    assertFalse(f.test(Map.of("status", "paid", "total", 200L, "vip", false, "note", "x")));
    // A comparison with a missing (null) value is unknown: the row does not pass, either way.
    assertFalse(FilterExpression.parse("total > 1").test(Map.of()));
    assertFalse(FilterExpression.parse("NOT total > 1").test(Map.of()));
    assertTrue(FilterExpression.parse("total <> 1 OR id = 'a'").test(Map.of("id", "a")));
    assertTrue(FilterExpression.parse("price < -1.5").test(Map.of("price", -2)));
    assertEquals(java.util.Set.of("status", "total", "vip", "note"), f.columns());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> FilterExpression.parse("a = 1 b"));
    assertEquals("at position 7: unexpected 'b'; expected AND, OR or the end of the condition",
        bad.getMessage());
  }

  @Test
  void patternsAreGlobsUnlessTheyAreRegularExpressions() {
    Pipeline flinkStyle = Pipeline.parse("""
        source: { type: log, topic: app.orders_7, name: Orders }
        route:
          - { source-table: app.orders_*, sink-table: ods.ods_<>, replace-symbol: <> }
        sink: { type: print, name: Console }
        """, "p");
    assertEquals("ods.ods_orders_7", new PipelinePlan(flinkStyle).targetOf("app.orders_7"));
    assertTrue(TablePattern.of("public.*").matches("public.orders"));
    assertFalse(TablePattern.of("public.*").matches("publicXorders"));
    assertTrue(TablePattern.of("*.orders").matches("shop.orders"));
    assertTrue(TablePattern.of("*").matches("anything"));
    assertTrue(TablePattern.of("public\\.order_\\d+").matches("public.order_12"));
    assertFalse(TablePattern.of("public\\.order_\\d+").matches("public.order_x"));
  }

  @Test
  void kafkaSourcesAndSinksTakeTheirKeys() {
    Pipeline p = Pipeline.parse("""
        pipeline: { checkpoint-interval: 1s }
        source:
          type: kafka
          bootstrap-servers: broker:9092
          topics: [orders, refunds]
          group-id: weir
          starting-offsets: committed
        sink:
          type: kafka
          bootstrap-servers: other:9092
          topic: out
          delivery: exactly-once
          transactional-id-prefix: orders-out
          key: [id]
        """, "p");
    assertEquals(new Pipeline.KafkaSourceSpec("broker:9092", List.of("orders", "refunds"), null,
        "weir", "committed", "json"), p.source());
    assertEquals(List.of("orders", "refunds"), p.source().tables());
    assertEquals(new Pipeline.KafkaSinkSpec("other:9092", "out", true, "orders-out",
        List.of("id")), p.sink());
    Pipeline defaults = Pipeline.parse("""
        source: { type: kafka, bootstrap-servers: "b:1", topic-pattern: "orders-.*" }
        sink: { type: kafka, bootstrap-servers: "b:1" }
        """, "p");
    assertEquals(new Pipeline.KafkaSourceSpec("b:1", List.of(), "orders-.*", null, "earliest",
        "json"), defaults.source());
    assertEquals(new Pipeline.KafkaSinkSpec("b:1", null, false, null, List.of()),
        defaults.sink());
  }

  @Test
  void badKafkaKeysAreNamedWithTheirLines() {
    assertEquals("line 2: missing key 'topics' under 'source'; expected either a list of"
        + " topics, such as [orders], or 'topic-pattern', a regular expression", error("""
        source:
          type: kafka
          bootstrap-servers: b:1
        sink: { type: print }
        """).getMessage());
    assertEquals("line 2: missing key 'bootstrap-servers' under 'source'; expected host:port"
        + " of the brokers", error("""
        source:
          type: kafka
          topics: [t]
        sink: { type: print }
        """).getMessage());
    assertEquals("line 5: unknown starting-offsets 'newest' under 'source'; expected one of"
        + " earliest, latest, committed", error("""
        source:
          type: kafka
          bootstrap-servers: b:1
          topics: [t]
          starting-offsets: newest
        sink: { type: print }
        """).getMessage());
    assertEquals("line 5: 'starting-offsets: committed' under 'source' reads the group's"
        + " offsets; expected 'group-id'", error("""
        source:
          type: kafka
          bootstrap-servers: b:1
          topics: [t]
          starting-offsets: committed
        sink: { type: print }
        """).getMessage());
    assertEquals("line 6: an exactly-once Kafka sink commits its transactions with the"
        + " checkpoints; expected 'checkpoint-interval' under 'pipeline' (or 'delivery:"
        + " at-least-once')", error("""
        source: { type: log, topic: t }
        sink:
          type: kafka
          bootstrap-servers: b:1
          topic: out
          delivery: exactly-once
        """).getMessage());
    assertEquals("line 6: unknown key 'partitions' under 'sink'; expected one of type, name,"
        + " bootstrap-servers, topic, delivery, transactional-id-prefix, key", error("""
        source: { type: log, topic: t }
        sink:
          type: kafka
          bootstrap-servers: b:1
          topic: out
          partitions: 3
        """).getMessage());
  }
}
