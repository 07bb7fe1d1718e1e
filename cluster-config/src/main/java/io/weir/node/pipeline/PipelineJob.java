package io.weir.node.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weir.connectors.kafka.KafkaRecord;
import io.weir.connectors.kafka.KafkaRecordDeserializer;
import io.weir.connectors.kafka.KafkaSink;
import io.weir.connectors.kafka.KafkaSource;
import io.weir.connectors.kafka.StartingOffsets;
import io.weir.connectors.postgres.PostgresCdcSource;
import io.weir.connectors.postgres.SnapshotMode;
import io.weir.connectors.transforms.Row;
import io.weir.connectors.transforms.Unwrap;
import io.weir.lakehouse.IcebergSink;
import io.weir.lakehouse.LakehouseSettings;
import io.weir.log.api.ProducerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.Collector;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.GeneratorFunction;
import io.weir.stream.api.InvalidJobException;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.LogRecordRouter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The job behind {@code weir pipeline run}: a pipeline file's source, transforms, routes and
 * sink as a stream job. Rows travel as {@link Row}s (schema, table, operation, deleted, values).
 *
 * <p>Arguments, in order: the pipeline's name, the lakehouse settings of the node that
 * submitted it as JSON ({@link LakehouseSettings#toArgument}; a plain directory, as older jobs
 * have, stands for the embedded catalog there), the pipeline file's text. The file is parsed
 * again on every node, so a job resumed after a restart runs the file as it was submitted, and
 * its Iceberg sink uses the submitting node's catalog (a shared one in a cluster) wherever it
 * runs.
 */
public final class PipelineJob implements JobDefinition {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A YAML key whose value is a secret: any key with password, secret, token, credential or
   * jaas in its name (a PostgreSQL source's {@code password}, a Kafka client's
   * {@code sasl.jaas.config}).
   */
  private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile(
      "(?im)^(\\s*-?\\s*[\"']?[\\w.-]*(?:password|secret|token|credential|jaas)[\\w.-]*[\"']?\\s*:)"
      + "[ \\t]*\\S.*$");

  /** The pipeline file's text with the values of its secret keys replaced by {@code ******}. */
  @Override
  public List<String> redact(List<String> args) {
    if (args.size() != 3) {
      return args;
    }
    return List.of(args.get(0), LakehouseSettings.describeArgument(args.get(1)),
        SECRET.matcher(args.get(2)).replaceAll("$1 ******"));
  }

  /**
   * The settings {@link LakehouseSettings#toArgument} wrote, or the embedded catalog in a
   * directory.
   */
  static LakehouseSettings lakehouseSettings(String argument) {
    try {
      return LakehouseSettings.fromArgument(argument);
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException("the pipeline's " + e.getMessage());
    }
  }

  @Override
  public void define(JobBuilder job, List<String> args) {
    if (args.size() != 3) {
      throw new InvalidJobException("PipelineJob takes 3 arguments (name, lakehouse settings,"
          + " pipeline file text), got " + args.size());
    }
    Pipeline pipeline;
    try {
      pipeline = Pipeline.parse(args.get(2), args.get(0));
    } catch (PipelineFileException e) {
      throw new InvalidJobException("pipeline " + args.get(0) + ": " + e.getMessage());
    }
    PipelinePlan plan = new PipelinePlan(pipeline);
    job.setParallelism(pipeline.parallelism());
    if (pipeline.checkpointInterval() != null) {
      job.enableCheckpointing(pipeline.checkpointInterval());
    }
    DataStream<Row> rows = source(job, pipeline.source());
    if (!pipeline.transforms().isEmpty()) {
      rows = rows.<Row>flatMap((row, out) -> plan.transform(row).ifPresent(out::collect))
          .name("Transform");
    }
    sink(rows, plan, pipeline, lakehouseSettings(args.get(1)));
  }

  private static DataStream<Row> source(JobBuilder job, Pipeline.SourceSpec spec) {
    if (spec instanceof Pipeline.Generator g) {
      Generated generated = new Generated(g);
      return (g.count() == null ? job.generate(generated) : job.generate(generated, g.count()))
          .name("Source: generator " + g.table());
    }
    if (spec instanceof Pipeline.LogSource l) {
      StartPosition start = l.start().equals("latest") ? StartPosition.latest()
          : StartPosition.earliest();
      return job.fromLog(l.topic(), start).name("Source: log " + l.topic())
          .<Row>flatMap((record, out) -> fromJson(l.topic(), record.partition() + "@"
              + record.offset(), record.value(), out)).name("From JSON");
    }
    if (spec instanceof Pipeline.KafkaSourceSpec k) {
      KafkaSource.Builder<KafkaRecord> source = KafkaSource.newBuilder(
          KafkaRecordDeserializer.records()).bootstrapServers(k.bootstrapServers())
          .startingOffsets(switch (k.startingOffsets()) {
            case "latest" -> StartingOffsets.latest();
            case "committed" -> StartingOffsets.committed();
            default -> StartingOffsets.earliest();
          });
      if (k.topicPattern() != null) {
        source.topicPattern(k.topicPattern());
      } else {
        source.topics(k.topics());
      }
      if (k.groupId() != null) {
        source.groupId(k.groupId());
      }
      String name = k.topicPattern() != null ? k.topicPattern() : String.join(",", k.topics());
      return job.fromSource(source.build(), "Source: kafka " + name)
          .<Row>flatMap((record, out) -> fromJson(record.topic(), record.partition() + "@"
              + record.offset(), record.value(), out)).name("From JSON");
    }
    Pipeline.Postgres p = (Pipeline.Postgres) spec;
    return job.fromSource(PostgresCdcSource.newBuilder().jdbcUrl(p.jdbcUrl())
            .user(p.username()).password(p.password()).slotName(p.slot())
            .publicationName(p.slot()).tables(p.tables())
            .snapshotMode(SnapshotMode.valueOf(p.snapshotMode().toUpperCase(Locale.ROOT)))
            .build(), "Source: postgres " + p.database())
        .flatMap(Unwrap.keepingDeletes()).name("Unwrap");
  }

  private static void sink(DataStream<Row> rows, PipelinePlan plan, Pipeline pipeline,
      LakehouseSettings lake) {
    Pipeline.SinkSpec spec = pipeline.sink();
    if (spec instanceof Pipeline.PrintSink) {
      rows.map(row -> PipelinePlan.tableOf(row) + " " + row.op() + " " + toJson(row.values()))
          .name("To text").print().name("Print");
    } else if (spec instanceof Pipeline.KafkaSinkSpec k) {
      // A delete without a key has nothing to say to a topic (as in a log sink): it is not sent.
      DataStream<Row> sent = k.key().isEmpty()
          ? rows.filter(row -> !row.deleted()).name("Drop keyless deletes") : rows;
      KafkaSink.Builder<Row> sink = KafkaSink.<Row>newBuilder((row, topic, timestamp) -> {
        String key = k.key().isEmpty() ? null : k.key().stream()
            .map(c -> String.valueOf(row.get(c))).collect(Collectors.joining("|"));
        return new org.apache.kafka.clients.producer.ProducerRecord<>(
            plan.targetOf(PipelinePlan.tableOf(row)), null, timestamp,
            key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            row.deleted() ? null
                : toJson(row.values()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }).bootstrapServers(k.bootstrapServers());
      if (k.exactlyOnce()) {
        sink.exactlyOnce(k.transactionalIdPrefix() != null ? k.transactionalIdPrefix()
            : "weir-pipeline-" + pipeline.name());
      }
      sent.sinkTo(sink.build()).name("Sink: kafka");
    } else if (spec instanceof Pipeline.LogSink l) {
      LogRecordRouter<Row> router = row -> {
        String topic = plan.targetOf(PipelinePlan.tableOf(row));
        String key = l.key().isEmpty() ? null : l.key().stream()
            .map(c -> String.valueOf(row.get(c))).collect(Collectors.joining("|"));
        if (row.deleted()) {
          // A tombstone for the key; without a key, a delete has nothing to say.
          return key == null ? null : ProducerRecord.of(topic, key, null);
        }
        return ProducerRecord.of(topic, key, toJson(row.values()));
      };
      if (pipeline.checkpointInterval() == null) {
        rows.toLog(router).name("Sink: log");
      } else {
        // Exactly once: log transactions committed with the checkpoints.
        rows.toLog(router, "weir-pipeline-" + pipeline.name()).name("Sink: log");
      }
    } else {
      Pipeline.IcebergSinkSpec s = (Pipeline.IcebergSinkSpec) spec;
      for (String target : plan.targets().keySet()) {
        DataStream<Row> mine = plan.targets().size() == 1 ? rows
            : rows.filter(row -> plan.targetOf(PipelinePlan.tableOf(row)).equals(target))
                .name("Route to " + target);
        DataStream<io.weir.lakehouse.Row> lakeRows;
        if (s.upsert()) {
          // One key's changes in order, on one sink subtask.
          List<String> key = s.primaryKey();
          lakeRows = mine.keyBy(row -> key.stream().map(c -> String.valueOf(row.get(c)))
                  .collect(Collectors.joining("|")))
              .process(new ToUpsert(key)).name("Upserts to " + target);
        } else {
          lakeRows = mine.<io.weir.lakehouse.Row>flatMap((row, out) -> {
            if (!row.deleted()) {
              out.collect(io.weir.lakehouse.Row.insert(row.values()));
            }
          }).name("Appends to " + target);
        }
        String sinkId = "pipeline-" + pipeline.name() + "-" + target;
        IcebergSink sink = s.upsert() ? IcebergSink.upsert(lake, target, sinkId)
            : IcebergSink.append(lake, target, sinkId);
        // A source table that gains a column: the Iceberg table gains it too.
        lakeRows.sinkTo(s.schemaEvolution() ? sink.withSchemaEvolution() : sink)
            .name("Sink: iceberg " + target);
      }
    }
  }

  /** A change as an Iceberg upsert or delete by the primary key. */
  private static final class ToUpsert
      implements KeyedProcessFunction<String, Row, io.weir.lakehouse.Row> {
    private final List<String> key;

    ToUpsert(List<String> key) {
      this.key = key;
    }

    @Override
    public void processElement(Row row, Context<String> ctx,
        Collector<io.weir.lakehouse.Row> out) {
      if (row.deleted()) {
        Map<String, Object> keyValues = new LinkedHashMap<>();
        key.forEach(c -> keyValues.put(c, row.get(c)));
        out.collect(io.weir.lakehouse.Row.delete(keyValues));
      } else {
        out.collect(io.weir.lakehouse.Row.upsert(row.values()));
      }
    }
  }

  /** A generator's rows, paced to at most its rows per second (per generating thread). */
  private static final class Generated implements GeneratorFunction<Row> {
    private final Pipeline.Generator spec;
    private final String schema;
    private final String table;
    private final AtomicLong produced = new AtomicLong();
    private volatile long startNanos;

    Generated(Pipeline.Generator spec) {
      this.spec = spec;
      int dot = spec.table().indexOf('.');
      this.schema = dot < 0 ? "" : spec.table().substring(0, dot);
      this.table = spec.table().substring(dot + 1);
    }

    @Override
    public Row map(long index) throws InterruptedException {
      if (spec.rowsPerSecond() != null) {
        long n = produced.getAndIncrement();
        if (n == 0) {
          startNanos = System.nanoTime();
        }
        long due = startNanos + n * 1_000_000_000L / spec.rowsPerSecond();
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (GeneratedColumn c : spec.columns()) {
        values.put(c.name(), c.value(index));
      }
      return new Row(schema, table, "c", false, values);
    }
  }

  /**
   * A log record's JSON object as a row of the topic's table. A Debezium change envelope
   * ({@code op} with {@code before}/{@code after}, as {@code weir cdc} writes) is unwrapped; a
   * null value (a tombstone) is skipped.
   */
  @SuppressWarnings("unchecked")
  private static void fromJson(String topic, String where, byte[] value, Collector<Row> out)
      throws java.io.IOException {
    if (value == null) {
      return;
    }
    Object parsed;
    try {
      parsed = JSON.readValue(value, Object.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IllegalArgumentException("record " + where + " of topic " + topic
          + " is not JSON: " + e.getOriginalMessage(), e);
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("record " + where + " of topic " + topic
          + " is not a JSON object");
    }
    Map<String, Object> values = (Map<String, Object>) map;
    Object op = values.get("op");
    if (op instanceof String code && (values.containsKey("after")
        || values.containsKey("before"))) {
      boolean deleted = code.equals("d");
      Object image = deleted ? values.get("before") : values.get("after");
      out.collect(new Row("", topic, code, deleted,
          image instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of()));
      return;
    }
    out.collect(new Row("", topic, "c", false, values));
  }

  /** Values as a JSON object: numbers, booleans and texts as they are, anything else as text. */
  static String toJson(Map<String, Object> values) {
    Map<String, Object> plain = new LinkedHashMap<>();
    values.forEach((k, v) -> plain.put(k, v == null || v instanceof Number
        || v instanceof Boolean || v instanceof String ? v : v.toString()));
    try {
      return JSON.writeValueAsString(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
